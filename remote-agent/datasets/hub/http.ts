import { createHash } from 'crypto';
import * as fs from 'fs';
import { parseRetryAfter, retry, RETRY_AFTER_STATUSES } from '../../../common/retry';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubHttpOptions {
  /** Base URL of the Hub (HF_ENDPOINT): https://huggingface.co, a mirror, or a test server. */
  endpoint: string;
  /** Sent as `Authorization: Bearer …` to the Hub's own origin only, never to the CDN it redirects to. */
  token?: string;
  /** Waits before each retry of a 429, a 5xx or a connection failure (default 1 s, then 3 s); a 429 or 503 waits its Retry-After instead. */
  retryDelaysMs?: number[];
  /** Time-out of an API call, and the longest pause inside a download (default 60 s). */
  timeoutMs?: number;
}

/** The Hub answered with an error status. `code` is its X-Error-Code header (GatedRepo, RepoNotFound, EntryNotFound, …). */
export class HubHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
    readonly code?: string,
    /** The Hub's Retry-After on a 429 or 503, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The Hub could not be reached at all (DNS, refused connection, time-out): a cached copy may stand in. */
export class HubUnreachableError extends Error {}

const MAX_REDIRECTS = 5;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** HTTP to the Hub: retries, redirects followed by hand so the token never leaves the Hub's origin, errors with their URL. */
export class HubHttp {
  readonly endpoint: string;
  private readonly origin: string;

  constructor(private readonly opts: HubHttpOptions) {
    this.endpoint = opts.endpoint.replace(/\/+$/, '');
    this.origin = new URL(this.endpoint).origin;
  }

  get hasToken(): boolean {
    return Boolean(this.opts.token);
  }

  /** GET a JSON document; also returns the Link header for paginated listings. */
  async getJson(url: string): Promise<{ body: unknown; next?: string }> {
    const res = await this.request(url, 'application/json');
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HubHttpError(
        `the Hub answered ${url} with something other than JSON: ${excerpt(text)}`,
        res.status,
        url,
      );
    }
    return { body, next: nextLink(res.headers.get('link')) };
  }

  /** Streams a file to `dest`; returns its size, SHA-256 and git blob SHA-1 (what the Hub's tree reports as lfs.oid / oid). */
  async download(url: string, dest: string): Promise<{ size: number; sha256: string; gitSha1: string }> {
    const res = await this.request(url, '*/*', true);
    if (!res.body) throw new HubHttpError(`empty body from ${url}`, res.status, url);
    const chunks = fs.openSync(dest, 'w');
    const sha256 = createHash('sha256');
    const parts: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const b = Buffer.from(chunk);
        fs.writeSync(chunks, b);
        sha256.update(b);
        // The git blob hash needs the length first: keep small files only (LFS files are checked by SHA-256).
        if (size < 16 * 1024 * 1024) parts.push(b);
        size += b.length;
      }
    } catch (err) {
      throw new HubUnreachableError(`download of ${url} broke off after ${size} bytes: ${describe(err)}`);
    } finally {
      fs.closeSync(chunks);
    }
    const git = createHash('sha1').update(`blob ${size}\0`);
    for (const p of parts) git.update(p);
    return { size, sha256: sha256.digest('hex'), gitSha1: size < 16 * 1024 * 1024 ? git.digest('hex') : '' };
  }

  private request(url: string, accept: string, long = false): Promise<Response> {
    const delays = this.opts.retryDelaysMs ?? [1_000, 3_000];
    return retry(
      async () => {
        const res = await this.follow(url, accept, long).catch((err: unknown) => {
          throw new HubUnreachableError(`cannot reach ${this.endpoint} (${describe(err)})`);
        });
        if (res.ok) return res;
        throw await httpError(res, url);
      },
      {
        retries: delays.length,
        delaysMs: delays,
        retryable: (e) =>
          e instanceof HubUnreachableError || (e instanceof HubHttpError && RETRY_STATUSES.has(e.status)),
        retryAfterMs: (e) => (e instanceof HubHttpError ? e.retryAfterMs : undefined),
      },
    );
  }

  private async follow(url: string, accept: string, long: boolean): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { accept, 'user-agent': 'evalbench' };
      if (this.opts.token && new URL(current).origin === this.origin)
        headers.authorization = `Bearer ${this.opts.token}`;
      const res = await fetch(current, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(long ? 30 * 60_000 : (this.opts.timeoutMs ?? 60_000)),
      });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel().catch(() => undefined);
        current = new URL(location, current).toString();
        continue;
      }
      return res;
    }
    throw new HubHttpError(`more than ${MAX_REDIRECTS} redirects from ${url}`, 310, url);
  }
}

async function httpError(res: Response, url: string): Promise<HubHttpError> {
  const text = await res.text().catch(() => '');
  let message = excerpt(text);
  try {
    const j = JSON.parse(text) as { error?: unknown };
    if (typeof j.error === 'string') message = j.error;
  } catch {
    // not JSON: keep the text
  }
  const retryAfterMs = RETRY_AFTER_STATUSES.has(res.status)
    ? parseRetryAfter(res.headers.get('retry-after'))
    : undefined;
  return new HubHttpError(
    `HTTP ${res.status} from ${url}${message ? `: ${message}` : ''}`,
    res.status,
    url,
    res.headers.get('x-error-code') ?? undefined,
    retryAfterMs,
  );
}

/** `<url>; rel="next"` of a Link header (the Hub paginates tree listings this way). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

function excerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 197)}...` : t;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  const code =
    cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  if (err.name === 'TimeoutError') return 'timed out';
  return code ? `${err.message}: ${code}` : err.message;
}
