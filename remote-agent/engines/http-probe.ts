import http from 'node:http';
import https from 'node:https';
import { errorMessage } from '../../common/error-message';

export interface ProbeResult {
  status: number;
  body: string;
}

/** One GET with a time-out; rejects on connection errors. No keep-alive: probes are rare. */
export function httpGet(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { agent: false, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export interface WaitHealthOptions {
  baseUrl: string;
  deadline: number;
  /** Settles when waiting is pointless (the engine exited, the caller aborted): resolves to why. */
  giveUp?: Promise<string>;
  /** Servers without /health (some endpoints) are healthy when /v1/models answers. */
  fallbackToModels?: boolean;
  headers?: Record<string, string>;
}

export type HealthOutcome = { healthy: true } | { healthy: false; why: string };

/** The `why` of a health wait that `startAborted` gave up. */
export const START_ABORTED = 'start aborted';

/** Settles with START_ABORTED once the signal aborts (at once if it has): a `giveUp` for waitForHealth. */
export function startAborted(signal: AbortSignal | undefined): Promise<string> {
  return new Promise<string>((resolve) => {
    if (signal?.aborted) resolve(START_ABORTED);
    signal?.addEventListener('abort', () => resolve(START_ABORTED), { once: true });
  });
}

/** Polls GET /health (50 ms, growing to 1 s between tries) until it answers 200, the deadline passes, or `giveUp` settles. */
export async function waitForHealth(o: WaitHealthOptions): Promise<HealthOutcome> {
  let gaveUp: string | undefined;
  void o.giveUp?.then((why) => {
    gaveUp = why;
  });
  let pause = 50;
  let lastProblem = 'no answer yet';
  for (;;) {
    if (gaveUp !== undefined) return { healthy: false, why: gaveUp };
    if (Date.now() >= o.deadline) return { healthy: false, why: `not healthy by the deadline (${lastProblem})` };
    try {
      const r = await httpGet(`${o.baseUrl}/health`, 5000, o.headers);
      if (r.status === 200) return { healthy: true };
      if (o.fallbackToModels && (r.status === 404 || r.status === 405)) {
        const m = await httpGet(`${o.baseUrl}/v1/models`, 5000, o.headers);
        if (m.status === 200) return { healthy: true };
        lastProblem = `GET /v1/models answered ${m.status}`;
      } else {
        lastProblem = `GET /health answered ${r.status}`;
      }
    } catch (e) {
      lastProblem = errorMessage(e);
    }
    const wait = Math.min(pause, Math.max(0, o.deadline - Date.now()));
    await Promise.race([new Promise((r) => setTimeout(r, wait)), o.giveUp ?? new Promise(() => undefined)]);
    pause = Math.min(1000, pause * 2);
  }
}

/** The engine's version where it says (vLLM: GET /version → {"version": "0.9.1"}). */
export async function probeVersion(baseUrl: string): Promise<string | undefined> {
  try {
    const r = await httpGet(`${baseUrl}/version`, 3000);
    if (r.status !== 200) return undefined;
    const v = (JSON.parse(r.body) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
