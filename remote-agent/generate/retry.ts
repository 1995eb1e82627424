import { retry } from '../../common/retry';
import { HttpStatusError, isRetryable } from './http-client';

export interface RetryPolicy {
  retries: number;
  backoffMs: number;
  signal?: AbortSignal;
}

/**
 * Runs `attempt` again after retryable failures: waits what a 429 or 503 asks for (Retry-After), else
 * backoff·2^k less up to half at random, so a restarted server is not hit in lockstep. The shared policy of common/retry.
 */
export function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  return retry(attempt, {
    retries: policy.retries,
    backoff: { initialMs: policy.backoffMs, factor: 2, jitter: 0.5, maxMs: 60_000 },
    signal: policy.signal,
    retryable: isRetryable,
    retryAfterMs: (e) => (e instanceof HttpStatusError ? e.retryAfterMs : undefined),
  });
}
