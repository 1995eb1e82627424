import type { StandinConfig } from './standin-config';

export interface StandinStats {
  /** Generation requests received (/v1/completions and /v1/chat/completions), including those answered 500. */
  requests: number;
  completed: number;
  failed500: number;
  inFlight: number;
  maxInFlight: number;
  generationTokens: number;
  promptTokens: number;
}

/** GET /metrics: the Prometheus gauges and counters evalbench reads, under vLLM's names and labels. */
export function metricsPage(s: StandinStats, config: Pick<StandinConfig, 'servedModel' | 'maxNumSeqs'>): string {
  const label = `{engine="0",model_name="${config.servedModel}"}`;
  const gauge = (name: string, help: string, value: number, type = 'gauge'): string =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}${label} ${Number.isInteger(value) ? value.toFixed(1) : String(value)}\n`;
  return (
    gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', s.inFlight) +
    gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', 0) +
    gauge(
      'vllm:kv_cache_usage_perc',
      'KV-cache usage. 1 means 100 percent usage.',
      Math.min(1, s.inFlight / config.maxNumSeqs),
    ) +
    gauge('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', s.promptTokens, 'counter') +
    gauge('vllm:generation_tokens_total', 'Number of generation tokens processed.', s.generationTokens, 'counter')
  );
}
