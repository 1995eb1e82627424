import type { Prediction, Throughput } from '../../common/run/records';
import type { Sample } from '../datasets/types';
import type { StreamLatency } from './throughput';

/** Sampling settings sent with every request (the preset's generation settings, the dataset's max tokens and stop). */
export interface RequestSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
  stop?: string[];
  /** Completions per prompt (pass@k). */
  n?: number;
  /** Chat requests only: `chat_template_kwargs` (e.g. {"enable_thinking": false}), the model's merged with the preset's. */
  chatTemplateKwargs?: Record<string, unknown>;
}

/** What the driver produces per sample: a prediction before scoring (no verdict yet). */
export type GeneratedPrediction = Omit<Prediction, 'verdict' | 'reason' | 'extracted' | 'passes'>;

export interface DriveOptions {
  /** Engine base URL, without /v1. */
  baseUrl: string;
  /** Every replica's base URL when the engine is several servers; requests go to the one with the fewest outstanding. */
  replicaBaseUrls?: readonly string[];
  /** The `model` field of each request. */
  servedModel: string;
  samples: readonly Sample[];
  /** Chat models get /v1/chat/completions (prompt must be messages); base models /v1/completions (prompt text). */
  chat: boolean;
  settings: RequestSettings;
  /** Requests in flight at once (a pool: a new request starts as soon as one ends). */
  concurrency: number;
  /** Time-out of one HTTP request (default 600 s). */
  requestTimeoutMs?: number;
  /** Extra attempts after a connection error, a time-out or a 5xx (default 3); 4xx is never retried. */
  retries?: number;
  /** First backoff delay; doubled per attempt, with jitter (default 500 ms). */
  backoffMs?: number;
  /**
   * Called once per sample as soon as its prediction is complete, in completion order. May return a promise (awaited
   * before the slot is reused). If it throws, the driver stops and `drive` rejects with that error.
   */
  onPrediction?: (prediction: GeneratedPrediction, sample: Sample) => void | Promise<void>;
  /** Headers for every request (the engine handle's `headers`: an endpoint's API key). */
  headers?: Record<string, string>;
  /** Stops issuing requests and aborts those in flight; `drive` then resolves with what finished. */
  signal?: AbortSignal;
  /**
   * Stream answers (server-sent events, with usage in the last chunk) and time each request's first token and the
   * tokens after it. Log-likelihood requests (echo) are never streamed.
   */
  stream?: boolean;
}

export interface DriveResult {
  throughput: Throughput;
  /** Predictions produced (including those with `error`). */
  count: number;
  errors: number;
  /** True when the signal stopped the run before every sample was done. */
  aborted: boolean;
  /** Time to first token, inter-token and request latency of the streamed requests (with `stream`). */
  latency?: StreamLatency;
}
