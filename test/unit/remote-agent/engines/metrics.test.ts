import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineMetricsFrom, parsePrometheus } from '../../../../remote-agent/engines/metrics';

// An excerpt of vLLM 0.10's /metrics.
const VLLM_METRICS = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="Qwen/Qwen3-8B"} 57.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{engine="0",model_name="Qwen/Qwen3-8B"} 7.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{engine="0",model_name="Qwen/Qwen3-8B"} 0.4312
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{engine="0",model_name="Qwen/Qwen3-8B"} 1.234567e+06
# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{engine="0",le="0.3",model_name="Qwen/Qwen3-8B"} 12.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="Qwen/Qwen3-8B"} 99.0
python_gc_objects_collected_total{generation="0"} 8123.0
process_start_time_seconds 1.71e+09
weird_label{path="a}b",x="q\\"z"} 3
not a metric line
`;

describe('engine /metrics parsing', () => {
  it('reads vLLM gauges and counters, labels and all', () => {
    const m = engineMetricsFrom(parsePrometheus(VLLM_METRICS));
    assert.deepEqual(m, { running: 57, waiting: 7, kvCacheUsage: 0.4312, generationTokens: 1234567 });
  });

  it('reads the pre-0.10 name of the KV cache gauge', () => {
    const m = engineMetricsFrom(parsePrometheus('vllm:gpu_cache_usage_perc{model_name="m"} 0.25\n'));
    assert.equal(m.kvCacheUsage, 0.25);
  });

  it('sums one metric across label sets (two engines behind one server)', () => {
    const values = parsePrometheus(
      'vllm:num_requests_running{engine="0"} 3\nvllm:num_requests_running{engine="1"} 4\n',
    );
    assert.equal(values.get('vllm:num_requests_running'), 7);
  });

  it('handles label values with braces and escaped quotes, timestamps, and skips junk', () => {
    const values = parsePrometheus(VLLM_METRICS + 'with_ts 5 1700000000000\nnan_metric NaN\n');
    assert.equal(values.get('weird_label'), 3);
    assert.equal(values.get('with_ts'), 5);
    assert.equal(values.get('process_start_time_seconds'), 1.71e9);
    assert.ok(!values.has('nan_metric'));
    assert.ok(!values.has('not'));
  });

  it('reports nothing for an engine that exports none of them', () => {
    assert.deepEqual(engineMetricsFrom(parsePrometheus('# nothing\nprocess_cpu_seconds_total 3\n')), {});
  });
});
