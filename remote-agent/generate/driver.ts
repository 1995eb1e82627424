import type { Sample } from '../datasets/types';
import { tokenCounter } from './count-tokens';
import { parseCompletion } from './openai-response';
import { ReplicaClients } from './replica-clients';
import { withRetries } from './retry';
import {
  generateMultiTurn,
  generateSingle,
  scoreChoices,
  type Call,
  type RequestContext,
  type SampleOutcome,
} from './sample-requests';
import { streamCompletion } from './stream-request';
import { ThroughputMeter } from './throughput';
import type { DriveOptions, DriveResult, GeneratedPrediction } from './types';
import { errorMessage } from '../../common/error-message';

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_BACKOFF_MS = 500;
/** After this many samples in a row failed on a refused connection, the engine is gone: the rest fail without trying. */
const REFUSED_IN_A_ROW_TO_GIVE_UP = 8;

function isRefused(e: unknown): boolean {
  return (e as { code?: unknown }).code === 'ECONNREFUSED';
}

function generatorFor(sample: Sample, chat: boolean): (s: Sample, ctx: RequestContext) => Promise<SampleOutcome> {
  if (sample.choices) return scoreChoices;
  if (chat && sample.followUps?.length) return generateMultiTurn;
  return generateSingle;
}

function promptAsSent(sample: Sample): GeneratedPrediction['prompt'] {
  return sample.choices ? sample.choices.context : sample.prompt;
}

/**
 * Sends every sample to the engine with up to `concurrency` requests in flight (a pool: each finished request makes
 * room for the next, no batch barriers), spread over the engine's replicas by fewest requests outstanding. Each sample's prediction is reported through `onPrediction` as soon as it is
 * complete; a sample whose request finally fails becomes a prediction with `error` set (once the engine has refused
 * connections for several samples in a row, the remaining ones fail at once instead of each waiting out its retries).
 * Never throws for a request's failure. Resolves with the throughput once every sample is done, or once the signal
 * aborts (in-flight samples then report nothing, so a rerun redoes them).
 */
export async function drive(o: DriveOptions): Promise<DriveResult> {
  const concurrency = Math.max(1, Math.floor(o.concurrency));
  const client = new ReplicaClients(
    o.replicaBaseUrls?.length ? o.replicaBaseUrls : [o.baseUrl],
    concurrency,
    o.headers,
  );
  const meter = new ThroughputMeter();
  // Aborted by the caller's signal, or by a failing onPrediction (the disk is full: stop, don't generate into the void).
  const stop = new AbortController();
  const onCallerAbort = (): void => stop.abort();
  if (o.signal?.aborted) stop.abort();
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = stop.signal;
  signal.addEventListener('abort', () => client.abortAll(), { once: true });
  const timeoutMs = o.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = { retries: o.retries ?? DEFAULT_RETRIES, backoffMs: o.backoffMs ?? DEFAULT_BACKOFF_MS, signal };
  const call: Call = async (path, body, chat) => {
    const tried = new Set<number>();
    if (o.stream && body.echo !== true) {
      const streamed = await withRetries(
        () => client.with((c) => streamCompletion(c, path, body, timeoutMs, chat), tried),
        policy,
      );
      meter.addRequest(streamed.parsed.promptTokens, streamed.parsed.completionTokens);
      meter.addStreamTiming(streamed.timing);
      return streamed.parsed;
    }
    const json = await withRetries(() => client.with((c) => c.post(path, body, timeoutMs), tried), policy);
    const parsed = parseCompletion(json, chat);
    meter.addRequest(parsed.promptTokens, parsed.completionTokens);
    return parsed;
  };
  const post = (path: string, body: unknown): Promise<unknown> =>
    withRetries(() => client.with((c) => c.post(path, body, timeoutMs)), policy);
  const countTokens = tokenCounter(post, call, o.servedModel);
  const ctx: RequestContext = { call, countTokens, servedModel: o.servedModel, settings: o.settings, chat: o.chat };
  let next = 0;
  let count = 0;
  let errors = 0;
  let reportFailure: { error: unknown } | undefined;
  let refusedInARow = 0;
  let refusal = '';

  const runOne = async (sample: Sample): Promise<GeneratedPrediction | undefined> => {
    const started = performance.now();
    let outcome: SampleOutcome | undefined;
    let error: string | undefined;
    if (refusedInARow >= REFUSED_IN_A_ROW_TO_GIVE_UP) {
      error = `not sent: the engine refuses connections (${refusal})`;
    } else {
      try {
        outcome = await generatorFor(sample, o.chat)(sample, ctx);
        refusedInARow = 0;
      } catch (e) {
        if (signal.aborted) return undefined;
        error = errorMessage(e);
        if (isRefused(e)) {
          refusedInARow++;
          refusal = error;
        } else {
          refusedInARow = 0;
        }
      }
    }
    const latencyMs = performance.now() - started;
    meter.addSampleLatency(latencyMs);
    const base = outcome ?? {
      prompt: promptAsSent(sample),
      output: '',
      finishReason: null,
      promptTokens: null,
      completionTokens: null,
    };
    return {
      id: sample.id,
      index: sample.index,
      ...base,
      latencyMs: Math.round(latencyMs * 10) / 10,
      ...(error !== undefined ? { error } : {}),
      ...(sample.truncated ? { truncated: true } : {}),
      time: new Date().toISOString(),
    };
  };

  const worker = async (): Promise<void> => {
    while (next < o.samples.length && !signal.aborted) {
      const sample = o.samples[next++]!;
      const prediction = await runOne(sample);
      if (!prediction || signal.aborted) return;
      count++;
      if (prediction.error !== undefined) errors++;
      try {
        await o.onPrediction?.(prediction, sample);
      } catch (e) {
        reportFailure ??= { error: e };
        stop.abort();
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, o.samples.length) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', onCallerAbort);
    client.close();
  }
  if (reportFailure) throw reportFailure.error;
  const latency = meter.streamLatency();
  return {
    throughput: meter.snapshot(),
    count,
    errors,
    aborted: count < o.samples.length && signal.aborted,
    ...(latency ? { latency } : {}),
  };
}
