import type { TaskResult } from '../../common/run/records';
import { formatScore } from '../../common/report/matrix';

/** One metric a task reports beside its main score. */
export interface ExtraMetricValue {
  name: string;
  value: number;
  stderr?: number;
  /** Samples it is computed over, when that is its own subset (safety: the harmful or the benign prompts). */
  n?: number;
}

/** A task's metrics beside its main score: pass@k, safety refusal rates, a judge's pass rate, per-turn ratings. */
export interface ExtraMetricsRow {
  model: string;
  dataset: string;
  metrics: ExtraMetricValue[];
}

/** Rows in the report's model × dataset order, for tasks that have any; empty when none has. */
export function extraMetricsRows(
  results: readonly TaskResult[],
  models: readonly string[],
  datasets: readonly string[],
): ExtraMetricsRow[] {
  const rows: ExtraMetricsRow[] = [];
  for (const model of models) {
    for (const dataset of datasets) {
      const r = results.find((x) => x.model === model && x.dataset === dataset);
      if (!r) continue;
      const metrics: ExtraMetricValue[] = [
        // The main metric is often pass@1 itself: the score matrix shows it already.
        ...Object.entries(r.passAtK ?? {})
          .filter(([name]) => name !== r.metric)
          .map(([name, value]) => ({ name, value })),
        ...Object.entries(r.extraMetrics ?? {}).map(([name, m]) => ({
          name,
          value: m.value,
          stderr: m.stderr,
          n: m.n,
        })),
      ];
      if (metrics.length) rows.push({ model, dataset, metrics });
    }
  }
  return rows;
}

/** "refusal rate (harmful) 87.5 ± 11.7 (n 8)", "pass@5 85.0": values read as in the score matrix. */
export function formatExtraMetric(m: ExtraMetricValue): string {
  return `${m.name} ${formatScore(m.value, m.stderr, m.name)}${m.n === undefined ? '' : ` (n ${m.n})`}`;
}

export const EXTRA_METRICS_HEADERS = ['model', 'dataset', 'other metrics'] as const;

export const EXTRA_METRICS_NOTE =
  "Metrics beside each task's main score (value ± standard error, over n samples where that is a subset): pass@k, safety refusal rates, judge pass rates, per-turn ratings.";
