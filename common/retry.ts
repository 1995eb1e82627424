/**
 * The one retry policy of evalbench (engine requests, judge requests, Hub downloads, the run watch's reconnects):
 * exponential backoff with jitter, capped, and a server's own `Retry-After` honoured on 429 and 503.
 * No node or vscode imports: the agent, the extension and the webviews share it.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of each delay drawn at random, so many clients do not retry in step. */
  jitter?: number;
}

/** The delay before retry number `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = opts.initialMs ?? 500;
  const max = opts.maxMs ?? 30_000;
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0.2;
  const base = Math.min(max, initial * Math.pow(factor, attempt));
  return Math.round(base * (1 - jitter + jitter * random()));
}

/** Statuses whose Retry-After is a request to wait (RFC 9110 §10.2.3: 503, and 429 per RFC 6585). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * A `Retry-After` header in milliseconds: delay-seconds ("120") or an HTTP-date, never negative; undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Waits `ms`, or less when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  backoff?: BackoffOptions;
  /** Explicit waits before each retry, in place of the exponential ones (its length is then the retry count). */
  delaysMs?: readonly number[];
  /** The longest a server's Retry-After is obeyed (default 120 s): a day-long one should fail, not hang a job. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  /** Whether the failure is worth another try. */
  retryable: (e: unknown) => boolean;
  /** The wait the server asked for (Retry-After of a 429 or 503), in ms. */
  retryAfterMs?: (e: unknown) => number | undefined;
  /** Told before each wait (for logs and tests). */
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
  /** Defaults to `sleep`; tests pass a recorder. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** The wait before retry `attempt`: the server's Retry-After (capped) when it gave one, else the backoff. */
export function retryDelay(e: unknown, attempt: number, policy: RetryPolicy): number {
  const asked = policy.retryAfterMs?.(e);
  if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs ?? 120_000);
  return policy.delaysMs?.[attempt] ?? backoffDelay(attempt, policy.backoff, policy.random);
}

/** Runs `attempt` again after retryable failures; the last failure is thrown as it was. */
export async function retry<T>(attempt: (k: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const retries = policy.delaysMs ? Math.min(policy.retries, policy.delaysMs.length) : policy.retries;
  for (let k = 0; ; k++) {
    try {
      return await attempt(k);
    } catch (e) {
      if (k >= retries || policy.signal?.aborted || !policy.retryable(e)) throw e;
      const delay = retryDelay(e, k, policy);
      policy.onRetry?.(e, k, delay);
      await (policy.wait ?? sleep)(delay, policy.signal);
      if (policy.signal?.aborted) throw e;
    }
  }
}
