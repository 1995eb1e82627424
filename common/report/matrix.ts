import type { RunStatus, TaskResult, TaskState, TaskStateName } from '../run/records';

export interface MatrixCell {
  model: string;
  dataset: string;
  state: TaskStateName | 'missing';
  value?: number;
  stderr?: number;
  metric?: string;
  n?: number;
  /** Why the task failed (its root cause) — failed cells carry one. */
  reason?: string;
  failed: boolean;
  /** Highest value of its dataset among the scored cells (ties all marked); not when all of them tie. */
  best: boolean;
}

export interface ScoreMatrix {
  models: string[];
  datasets: string[];
  /** cells[i][j]: models[i] on datasets[j]. */
  cells: MatrixCell[][];
  /** The metric of each dataset (from its results), for column headers. */
  metrics: Record<string, string>;
}

const TIE = 1e-12;

/** Pure: the run's tasks as a models × datasets matrix, scored cells with value ± stderr, best per dataset marked. */
export function buildScoreMatrix(run: Pick<RunStatus, 'taskStates' | 'results'>): ScoreMatrix {
  const models: string[] = [];
  const datasets: string[] = [];
  const seen = (list: string[], x: string) => list.includes(x) || list.push(x);
  for (const t of run.taskStates) {
    seen(models, t.model);
    seen(datasets, t.dataset);
  }
  for (const r of run.results) {
    seen(models, r.model);
    seen(datasets, r.dataset);
  }
  const states = new Map(run.taskStates.map((t) => [key(t.model, t.dataset), t]));
  const results = new Map(run.results.map((r) => [key(r.model, r.dataset), r]));
  const cells = models.map((m) => datasets.map((d) => cellOf(m, d, states.get(key(m, d)), results.get(key(m, d)))));
  const metrics: Record<string, string> = {};
  for (const r of run.results) metrics[r.dataset] ??= r.metric;
  for (let j = 0; j < datasets.length; j++) markBest(cells.map((row) => row[j]!));
  return { models, datasets, cells, metrics };
}

function cellOf(
  model: string,
  dataset: string,
  state: TaskState | undefined,
  result: TaskResult | undefined,
): MatrixCell {
  const failedResult = result?.failure !== undefined;
  const failed = state?.state === 'failed' || failedResult;
  const cell: MatrixCell = {
    model,
    dataset,
    state: failedResult ? 'failed' : (state?.state ?? (result ? 'done' : 'missing')),
    failed,
    best: false,
  };
  if (failed) cell.reason = state?.reason ?? result?.failure ?? 'failed';
  if (result) {
    cell.value = result.value;
    cell.stderr = result.stderr;
    cell.metric = result.metric;
    cell.n = result.n;
  } else if (state?.value !== undefined) {
    cell.value = state.value;
    cell.stderr = state.stderr;
    cell.metric = state.metric;
  }
  return cell;
}

/**
 * Marks the top of a column, ties included; nothing when fewer than two are scored, or when every model of the
 * column scored the same (no one is better). A tie beside a failed or missing model is still best.
 */
function markBest(column: MatrixCell[]): void {
  const scored = column.filter((c) => !c.failed && c.value !== undefined && Number.isFinite(c.value));
  if (scored.length < 2) return;
  const top = Math.max(...scored.map((c) => c.value!));
  if (scored.length === column.length && scored.every((c) => c.value! >= top - TIE)) return;
  for (const c of scored) c.best = c.value! >= top - TIE;
}

function key(model: string, dataset: string): string {
  return JSON.stringify([model, dataset]);
}

/** Fractions (0..1) read as percentages; other metrics (judge scores) as they are. */
export function isFraction(value: number, metric?: string): boolean {
  return value >= 0 && value <= 1 && !/score|rating|judge/i.test(metric ?? '');
}

/** "72.4 ± 1.3" for fractions, "7.85 ± 0.12" otherwise. */
export function formatScore(value: number, stderr: number | undefined, metric?: string): string {
  const pct = isFraction(value, metric);
  const fmt = (x: number) => (pct ? (x * 100).toFixed(1) : x.toFixed(2));
  return stderr === undefined ? fmt(value) : `${fmt(value)} ± ${fmt(stderr)}`;
}
