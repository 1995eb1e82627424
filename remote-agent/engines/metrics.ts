import { httpGet } from './http-probe';

/**
 * Parses Prometheus text exposition into metric name → value, summing the samples of one name across label sets
 * (vLLM labels each by model_name; with one model served that is the value itself). Comments, histogram buckets and
 * unparsable lines are skipped.
 */
export function parsePrometheus(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) continue;
    const value = parsePromNumber(m[3]!);
    if (value === undefined) continue;
    values.set(m[1]!, (values.get(m[1]!) ?? 0) + value);
  }
  return values;
}

function parsePromNumber(s: string): number | undefined {
  if (s === 'NaN') return undefined;
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** The engine gauges the dashboard shows. Fields are absent when the engine does not export them. */
export interface EngineMetrics {
  /** Requests being decoded now. */
  running?: number;
  waiting?: number;
  /** KV cache in use, 0..1. */
  kvCacheUsage?: number;
  /** Tokens generated since the engine started (a counter). */
  generationTokens?: number;
}

/** vLLM's names; `gpu_cache_usage_perc` is the pre-0.10 name of `kv_cache_usage_perc` (both are fractions, not percent). */
export function engineMetricsFrom(values: Map<string, number>): EngineMetrics {
  const out: EngineMetrics = {};
  const running = values.get('vllm:num_requests_running');
  const waiting = values.get('vllm:num_requests_waiting');
  const kv = values.get('vllm:kv_cache_usage_perc') ?? values.get('vllm:gpu_cache_usage_perc');
  const gen = values.get('vllm:generation_tokens_total') ?? values.get('vllm:generation_tokens');
  if (running !== undefined) out.running = running;
  if (waiting !== undefined) out.waiting = waiting;
  if (kv !== undefined) out.kvCacheUsage = kv;
  if (gen !== undefined) out.generationTokens = gen;
  return out;
}

export interface MetricsSample extends EngineMetrics {
  /** Generated tokens per second since the previous sample, from the counter. */
  tokensPerS?: number;
}

export interface MetricsSamplerOptions {
  baseUrl: string;
  intervalMs?: number;
  onSample: (sample: MetricsSample) => void;
  headers?: Record<string, string>;
}

/**
 * Reads GET /metrics every `intervalMs` (default 10 s) and reports vLLM's gauges, with the token rate derived from the
 * counter. An engine without /metrics (404) is not asked again. `stop()` ends sampling.
 */
export function startMetricsSampler(o: MetricsSamplerOptions): { stop: () => void } {
  let previous: { at: number; tokens: number } | undefined;
  let stopped = false;
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy || stopped) return;
    busy = true;
    try {
      const r = await httpGet(`${o.baseUrl}/metrics`, 5000, o.headers);
      if (r.status === 404) return stop();
      if (r.status !== 200) return;
      const m: MetricsSample = engineMetricsFrom(parsePrometheus(r.body));
      const now = Date.now();
      if (m.generationTokens !== undefined) {
        if (previous && now > previous.at && m.generationTokens >= previous.tokens)
          m.tokensPerS = ((m.generationTokens - previous.tokens) * 1000) / (now - previous.at);
        previous = { at: now, tokens: m.generationTokens };
      }
      if (!stopped && Object.keys(m).length) o.onSample(m);
    } catch {
      // a missed sample is not worth a failure: the engine may be busy or restarting
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), o.intervalMs ?? 10_000);
  timer.unref();
  void tick();
  function stop(): void {
    stopped = true;
    clearInterval(timer);
  }
  return { stop };
}
