import http from 'node:http';
import https from 'node:https';
import { completionFromEventStream } from './event-stream-body';
import { parseRetryAfter, RETRY_AFTER_STATUSES } from '../../common/retry';

/** The server answered with a status outside 2xx. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    /** The server's Retry-After, in ms, on a 429 or 503. */
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}: ${errorMessageOf(body)}`);
    this.name = 'HttpStatusError';
  }
}

/** The request got no complete answer within its time-out. */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
    this.name = 'RequestTimeoutError';
  }
}

/** OpenAI-style servers put the reason in {"error": {"message"}} or {"message"}; else the body itself, cut short. */
function errorMessageOf(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const m = typeof j.error === 'object' ? j.error?.message : (j.error ?? j.message ?? j.detail);
    if (typeof m === 'string' && m) return m.slice(0, 500);
  } catch {
    // not JSON
  }
  return body.slice(0, 500) || '(empty body)';
}

/** Settles a request once: with an error, or (no error) with its value. */
type Finish<T> = ((err: Error | undefined, value?: T) => void) & { settled: () => boolean };

/** POSTs JSON over keep-alive connections to one server: at most `maxSockets` at a time, reused across requests. */
export class JsonClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly hostname: string;
  private readonly port: number;
  private readonly basePath: string;

  constructor(
    baseUrl: string,
    maxSockets: number,
    private readonly headers: Record<string, string> = {},
  ) {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`an engine URL is http:// or https:// (got ${baseUrl})`);
    const tls = u.protocol === 'https:';
    this.transport = tls ? https : http;
    this.hostname = u.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(u.port || (tls ? 443 : 80));
    this.basePath = u.pathname.replace(/\/+$/, '');
    const agentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
    this.agent = tls ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** How to cancel each request in flight (removed when it settles). */
  private readonly inFlight = new Set<() => void>();

  /** Resolves with the parsed JSON body of a 2xx answer; rejects with HttpStatusError, RequestTimeoutError, or the socket error. */
  post(path: string, body: unknown, timeoutMs: number): Promise<unknown> {
    return this.send<unknown>(path, body, timeoutMs, undefined, (res, finish) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => finish(e));
      res.on('end', () => {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return finish(new HttpStatusError(status, text, retryAfterOf(res)));
        // A server that streams whatever it is asked (transformers serve 4.56–4.57) is read as the answer it adds up to.
        const eventStream = /^text\/event-stream/i.test(res.headers['content-type'] ?? '');
        try {
          finish(undefined, eventStream ? completionFromEventStream(text) : JSON.parse(text));
        } catch (e) {
          if (eventStream) return finish(e instanceof Error ? e : new Error(String(e)));
          finish(new Error(`the server answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
  }

  /**
   * POSTs JSON and hands each piece of a 2xx body to `onData` as it arrives (server-sent events); resolves when the
   * body ends. A non-2xx answer rejects with HttpStatusError carrying the whole body; the time-out covers the stream.
   */
  postStream(path: string, body: unknown, timeoutMs: number, onData: (text: string) => void): Promise<void> {
    return this.send<void>(path, body, timeoutMs, 'text/event-stream', (res, finish, req) => {
      const status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      if (status < 200 || status >= 300) {
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () => finish(new HttpStatusError(status, text, retryAfterOf(res))));
        res.on('error', (e) => finish(e));
        return;
      }
      res.on('data', (c: string) => {
        if (finish.settled()) return;
        try {
          onData(c);
        } catch (e) {
          finish(e instanceof Error ? e : new Error(String(e)));
          req.destroy();
        }
      });
      res.on('end', () => finish(undefined));
      res.on('error', (e) => finish(e));
      res.on('aborted', () => finish(new Error('the server closed the stream before its end')));
    });
  }

  /**
   * One POST with a JSON body: `onResponse` reads the answer and settles through `finish` (later calls are ignored).
   * The time-out and abortAll() settle it too, and drop its connection.
   */
  private send<T>(
    path: string,
    body: unknown,
    timeoutMs: number,
    accept: string | undefined,
    onResponse: (res: http.IncomingMessage, finish: Finish<T>, req: http.ClientRequest) => void,
  ): Promise<T> {
    const payload = Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = {
      ...this.headers,
      'content-type': 'application/json',
      'content-length': payload.length,
    };
    if (accept) headers.accept = accept;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = ((err: Error | undefined, value?: T): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(cancel);
        if (err) reject(err);
        else resolve(value as T);
      }) as Finish<T>;
      finish.settled = () => settled;
      const req = this.transport.request(
        {
          agent: this.agent,
          hostname: this.hostname,
          port: this.port,
          path: this.basePath + path,
          method: 'POST',
          headers,
        },
        (res) => onResponse(res, finish, req),
      );
      const timer = setTimeout(() => {
        finish(new RequestTimeoutError(timeoutMs));
        req.destroy();
      }, timeoutMs);
      // A Set entry, not an AbortSignal listener per request: EventTarget bookkeeping costs more than the request itself.
      const cancel = (): void => {
        finish(new Error('aborted'));
        req.destroy();
      };
      this.inFlight.add(cancel);
      req.on('error', (e) => finish(e));
      req.end(payload);
    });
  }

  /** Rejects every request in flight with "aborted" and drops its connection. */
  abortAll(): void {
    for (const cancel of [...this.inFlight]) cancel();
  }

  close(): void {
    this.agent.destroy();
  }
}

function retryAfterOf(res: http.IncomingMessage): number | undefined {
  const status = res.statusCode ?? 0;
  const header = res.headers['retry-after'];
  return RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(Array.isArray(header) ? header[0] : header) : undefined;
}

/** Connection refused or reset, a socket hang-up, a 5xx: worth another try. A 4xx or bad JSON is not. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof HttpStatusError) return e.status >= 500 || e.status === 429;
  if (e instanceof RequestTimeoutError) return false;
  const code = (e as { code?: unknown }).code;
  return (
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNABORTED|UND_ERR_SOCKET)$/.test(
        code,
      )) ||
    (e instanceof Error && e.message === 'socket hang up')
  );
}
