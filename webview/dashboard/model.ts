import type { DashboardSnapshot, EngineGauges } from '../../common/protocol/webview-dashboard';
import { formatScore } from '../../common/report/matrix';
import { isJobEnded } from '../../common/run/job-state';
import type { TaskStateName } from '../../common/run/records';

export interface ProgressRow {
  model: string;
  dataset: string;
  state: TaskStateName;
  done: number;
  total: number | null;
  /** 0..1, or null while the total is unknown. */
  fraction: number | null;
  tokensPerS?: number;
  score?: string;
  reason?: string;
}

/** Pure: one row per task, failed first, then running, queued, done — what needs eyes comes first. */
export function progressRows(s: DashboardSnapshot): ProgressRow[] {
  const order: Record<TaskStateName, number> = { failed: 0, running: 1, queued: 2, pending: 3, done: 4, cancelled: 5 };
  const results = new Map(s.run.results.map((r) => [`${r.model}\u0000${r.dataset}`, r]));
  return s.run.taskStates
    .map((t, i) => {
      const r = results.get(`${t.model}\u0000${t.dataset}`);
      const total = t.total ?? r?.n ?? null;
      const done = t.state === 'done' && total !== null ? Math.max(t.done, total) : t.done;
      const value = r?.value ?? t.value;
      const row: ProgressRow = {
        model: t.model,
        dataset: t.dataset,
        state: t.state,
        done,
        total,
        fraction: total ? Math.min(1, done / total) : total === 0 ? 1 : null,
        // A finished task's throughput is its result's (measured over the whole task), not the last progress tick.
        tokensPerS:
          (t.state === 'done' ? r?.throughput?.outputTokensPerS : undefined) ??
          t.tokensPerS ??
          r?.throughput?.outputTokensPerS,
        reason: t.reason ?? r?.failure,
      };
      if (value !== undefined && t.state !== 'failed')
        row.score = formatScore(value, r?.stderr ?? t.stderr, r?.metric ?? t.metric);
      return { row, i };
    })
    .sort((a, b) => order[a.row.state] - order[b.row.state] || a.i - b.i)
    .map((x) => x.row);
}

export interface RunTotals {
  done: number;
  total: number | null;
  tokensPerS: number;
  finished: number;
  failed: number;
  running: number;
}

/** Pure: samples done over the run, and generation throughput summed over the engines reporting now. */
export function runTotals(s: DashboardSnapshot): RunTotals {
  let done = 0;
  let total: number | null = 0;
  for (const t of s.run.taskStates) {
    done += t.done;
    total = total === null || t.total === null ? null : total + t.total;
  }
  const live = s.engines.filter((e) => e.tokensPerS !== undefined);
  const fromEngines = live.reduce((a, e) => a + (e.tokensPerS ?? 0), 0);
  const fromTasks = s.run.taskStates.filter((t) => t.state === 'running').reduce((a, t) => a + (t.tokensPerS ?? 0), 0);
  return {
    done,
    total,
    tokensPerS: live.length ? fromEngines : fromTasks,
    finished: s.run.tasks.done,
    failed: s.run.tasks.failed,
    running: s.run.tasks.running,
  };
}

/** The engines of models whose job is still active, in plan order. */
export function liveEngines(s: DashboardSnapshot): EngineGauges[] {
  const ended = new Set(s.run.jobs.filter((j) => isJobEnded(j.state)).map((j) => j.model));
  return s.engines.filter((e) => !ended.has(e.model));
}

/** SVG polyline points of a throughput series scaled into width × height (y grows downwards). */
export function sparkline(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.max(0, v) / max) * height).toFixed(1)}`)
    .join(' ');
}
