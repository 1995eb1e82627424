import type { DashboardSnapshot } from '../../common/protocol/webview-dashboard';
import { formatRate } from '../../common/report/format';
import { formatScore } from '../../common/report/matrix';
import type { Efficiency, LatencyStats, TaskResult } from '../../common/run/records';

/** One task's serving efficiency as short texts, "–" where not measured. */
export interface EfficiencyRow {
  model: string;
  dataset: string;
  engineLoad: string;
  timeToFirstToken: string;
  interTokenLatency: string;
  /** Request latency "p50 / p95". */
  latency: string;
  outputRate: string;
  gpuMemory: string;
  /** Why GPU memory reads "unavailable", for a tooltip. */
  gpuMemoryNote?: string;
  concurrency: number;
}

export const EFFICIENCY_HEADERS = [
  'model',
  'dataset',
  'engine load',
  'TTFT p50',
  'inter-token p50',
  'latency p50 / p95',
  'output',
  'peak GPU memory',
  'concurrency',
] as const;

const NONE = '–';

/** "850 ms", "1.25 s", "12 ms", "0.8 ms": milliseconds read at a glance. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NONE;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** "45 s", "2 min 5 s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return NONE;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** "38.2 GiB", "900 MiB". */
export function formatMiB(mib: number): string {
  if (!Number.isFinite(mib) || mib < 0) return NONE;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

const p50 = (l: LatencyStats | undefined): string => (l ? formatMs(l.p50Ms) : NONE);

function efficiencyRow(r: TaskResult & { efficiency: Efficiency }): EfficiencyRow {
  const e = r.efficiency;
  const row: EfficiencyRow = {
    model: r.model,
    dataset: r.dataset,
    engineLoad: e.engineLoadS === undefined ? NONE : formatSeconds(e.engineLoadS),
    timeToFirstToken: p50(e.timeToFirstToken),
    interTokenLatency: p50(e.interTokenLatency),
    latency: e.requestLatency ? `${formatMs(e.requestLatency.p50Ms)} / ${formatMs(e.requestLatency.p95Ms)}` : NONE,
    outputRate: formatRate(e.outputTokensPerS),
    gpuMemory: e.peakGpuMemoryMiB !== undefined ? formatMiB(e.peakGpuMemoryMiB) : 'unavailable',
    concurrency: e.concurrency,
  };
  if (e.peakGpuMemoryMiB === undefined) row.gpuMemoryNote = e.gpuMemoryUnavailable ?? 'not measured';
  return row;
}

/** Pure: one row per finished task that measured its serving (streamed presets), in the run's result order. */
export function efficiencyRows(s: DashboardSnapshot): EfficiencyRow[] {
  return s.run.results
    .filter((r): r is TaskResult & { efficiency: Efficiency } => r.efficiency !== undefined)
    .map(efficiencyRow);
}

/** One metric beside a task's main score, as text: "refusal rate (harmful) 87.5 ± 11.7 (n 8)". */
export interface ExtraMetricsRow {
  model: string;
  dataset: string;
  metrics: string[];
}

/**
 * Pure: the metrics each finished task reports beside its main score — safety refusal / over-refusal rates,
 * a judge's pass rate, per-turn ratings, pass@k other than the main metric — read as the score matrix reads them.
 */
export function extraMetricsRows(s: DashboardSnapshot): ExtraMetricsRow[] {
  const rows: ExtraMetricsRow[] = [];
  for (const r of s.run.results) {
    const metrics = [
      ...Object.entries(r.passAtK ?? {})
        .filter(([name]) => name !== r.metric)
        .map(([name, value]) => `${name} ${formatScore(value, undefined, name)}`),
      ...Object.entries(r.extraMetrics ?? {}).map(
        ([name, m]) => `${name} ${formatScore(m.value, m.stderr, name)} (n ${m.n})`,
      ),
    ];
    if (r.judge) metrics.push(`judged by ${r.judge}`);
    if (metrics.length) rows.push({ model: r.model, dataset: r.dataset, metrics });
  }
  return rows;
}
