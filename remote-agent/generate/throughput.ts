import type { LatencyStats, Throughput } from '../../common/run/records';
import type { StreamTiming } from './stream-request';

/** Nearest-rank percentile of unsorted values (p in 0..100). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Mean, median and 95th percentile of a latency; undefined without measurements. */
export function latencyStats(values: readonly number[]): LatencyStats | undefined {
  if (!values.length) return undefined;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    meanMs: round(values.reduce((a, b) => a + b, 0) / values.length),
    p50Ms: round(percentile(values, 50)!),
    p95Ms: round(percentile(values, 95)!),
    n: values.length,
  };
}

/** Latencies of streamed requests (the driver's `stream` option). */
export interface StreamLatency {
  timeToFirstToken?: LatencyStats;
  interTokenLatency?: LatencyStats;
  requestLatency?: LatencyStats;
}

/** Accumulates what the driver saw; `snapshot` turns it into the Throughput of records.ts. */
export class ThroughputMeter {
  private readonly started = performance.now();
  private readonly latencies: number[] = [];
  private readonly ttft: number[] = [];
  private readonly itl: number[] = [];
  private readonly requestMs: number[] = [];
  requests = 0;
  outputTokens = 0;
  promptTokens = 0;

  addRequest(promptTokens: number | null, completionTokens: number | null): void {
    this.requests++;
    this.promptTokens += promptTokens ?? 0;
    this.outputTokens += completionTokens ?? 0;
  }

  addSampleLatency(ms: number): void {
    this.latencies.push(ms);
  }

  addStreamTiming(t: StreamTiming): void {
    this.requestMs.push(t.requestMs);
    if (t.ttftMs !== undefined) this.ttft.push(t.ttftMs);
    if (t.itlMs !== undefined) this.itl.push(t.itlMs);
  }

  /** Undefined when no request was streamed. */
  streamLatency(): StreamLatency | undefined {
    if (!this.requestMs.length) return undefined;
    const out: StreamLatency = {};
    const ttft = latencyStats(this.ttft);
    const itl = latencyStats(this.itl);
    const request = latencyStats(this.requestMs);
    if (ttft) out.timeToFirstToken = ttft;
    if (itl) out.interTokenLatency = itl;
    if (request) out.requestLatency = request;
    return out;
  }

  snapshot(): Throughput {
    const wallS = (performance.now() - this.started) / 1000;
    const rate = (x: number): number => (wallS > 0 ? x / wallS : 0);
    const p50 = percentile(this.latencies, 50);
    const p95 = percentile(this.latencies, 95);
    return {
      outputTokensPerS: rate(this.outputTokens),
      requestsPerS: rate(this.requests),
      outputTokens: this.outputTokens,
      promptTokens: this.promptTokens,
      wallS,
      ...(p50 !== undefined ? { latencyP50Ms: p50 } : {}),
      ...(p95 !== undefined ? { latencyP95Ms: p95 } : {}),
    };
  }
}
