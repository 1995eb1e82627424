import type { Efficiency, LatencyStats, TaskResult } from '../../common/run/records';

/** One task's serving efficiency, for the report's efficiency table (tasks that streamed: preset generation `stream`). */
export interface EfficiencyRow {
  model: string;
  dataset: string;
  efficiency: Efficiency;
}

/** Rows in the report's model × dataset order; empty when no task measured efficiency. */
export function efficiencyRows(
  results: readonly TaskResult[],
  models: readonly string[],
  datasets: readonly string[],
): EfficiencyRow[] {
  const rows: EfficiencyRow[] = [];
  for (const model of models) {
    for (const dataset of datasets) {
      const r = results.find((x) => x.model === model && x.dataset === dataset);
      if (r?.efficiency) rows.push({ model, dataset, efficiency: r.efficiency });
    }
  }
  return rows;
}

/** "12.3 ms", "310 ms", "1.24 s". */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function p50p95(s: LatencyStats | undefined): string {
  return s ? `${formatMs(s.p50Ms)} / ${formatMs(s.p95Ms)}` : '—';
}

/** Peak GPU memory, or why it is unknown: unavailable is said, never shown as zero. */
export function formatGpuMemory(e: Efficiency): string {
  if (e.peakGpuMemoryMiB !== undefined)
    return e.peakGpuMemoryMiB >= 1024
      ? `${(e.peakGpuMemoryMiB / 1024).toFixed(1)} GiB`
      : `${Math.round(e.peakGpuMemoryMiB)} MiB`;
  return `unavailable${e.gpuMemoryUnavailable ? ` (${e.gpuMemoryUnavailable})` : ''}`;
}

export const EFFICIENCY_HEADERS = [
  'model',
  'dataset',
  'engine load',
  'TTFT p50 / p95',
  'inter-token mean',
  'request p50 / p95',
  'output tok/s',
  'concurrency',
  'peak GPU memory',
] as const;

/** The formatted cells of one row, in EFFICIENCY_HEADERS order (plain text: each renderer escapes them). */
export function efficiencyCells(row: EfficiencyRow): string[] {
  const e = row.efficiency;
  const rate =
    e.outputTokensPerS >= 100 ? Math.round(e.outputTokensPerS).toLocaleString('en-US') : e.outputTokensPerS.toFixed(1);
  return [
    row.model,
    row.dataset,
    e.engineLoadS === undefined ? '—' : `${e.engineLoadS.toFixed(1)} s`,
    p50p95(e.timeToFirstToken),
    formatMs(e.interTokenLatency?.meanMs),
    p50p95(e.requestLatency),
    rate,
    String(e.concurrency),
    formatGpuMemory(e),
  ];
}

/** Extra long-format CSV columns, only for runs that measured efficiency (other runs keep the plain header). */
export const EFFICIENCY_CSV_COLUMNS = [
  'engine_load_s',
  'ttft_p50_ms',
  'ttft_p95_ms',
  'itl_mean_ms',
  'request_p50_ms',
  'request_p95_ms',
  'concurrency',
  'peak_gpu_memory_mib',
  'gpu_memory_unavailable',
] as const;

export function efficiencyCsvValues(e: Efficiency | undefined): Array<string | number | undefined> {
  if (!e) return EFFICIENCY_CSV_COLUMNS.map(() => undefined);
  return [
    e.engineLoadS,
    e.timeToFirstToken?.p50Ms,
    e.timeToFirstToken?.p95Ms,
    e.interTokenLatency?.meanMs,
    e.requestLatency?.p50Ms,
    e.requestLatency?.p95Ms,
    e.concurrency,
    e.peakGpuMemoryMiB,
    e.gpuMemoryUnavailable,
  ];
}
