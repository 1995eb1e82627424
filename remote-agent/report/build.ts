import type { RunEvent } from '../../common/run/events';
import type { TaskResult, TaskState } from '../../common/run/records';
import { buildScoreMatrix } from '../../common/report/matrix';
import { EVALBENCH_VERSION } from '../../common/version';
import { efficiencyRows } from './efficiency';
import { extraMetricsRows } from './extra-metrics';
import {
  SELF_CHECK_NOTE,
  type CellStatus,
  type FailureCount,
  type ModelStats,
  type ReportCell,
  type ReportColumn,
  type ReportInput,
  type ReportModel,
} from './model';

const TERMINAL_RUN_STATES = new Set(['done', 'failed', 'cancelled']);

/** Pure: a run's status, configuration and events become the report model every format renders. */
export function buildReport(input: ReportInput, now: Date = new Date()): ReportModel {
  const { status, config, events } = input;
  const models = orderedIds(config.models, [
    ...status.taskStates.map((t) => t.model),
    ...status.results.map((r) => r.model),
    ...status.jobs.map((j) => j.model),
  ]);
  const datasets = orderedIds(config.datasets, [
    ...status.taskStates.map((t) => t.dataset),
    ...status.results.map((r) => r.dataset),
  ]);
  const selfCheck = isSelfCheck(input);
  const runEnded = TERMINAL_RUN_STATES.has(status.state);

  const matrix = buildScoreMatrix(status);
  const cells: ReportCell[] = [];
  for (const model of models) {
    for (const dataset of datasets) {
      const result = status.results.find((r) => r.model === model && r.dataset === dataset);
      const state = status.taskStates.find((t) => t.model === model && t.dataset === dataset);
      const shared = matrix.cells[matrix.models.indexOf(model)]?.[matrix.datasets.indexOf(dataset)];
      const cell = cellFor(model, dataset, result, state, runEnded, status.state);
      // Best marking is the dashboard's (common/report/matrix): the same cells are best in every view.
      cell.best = cell.status === 'scored' && shared?.best === true;
      cells.push(cell);
    }
  }
  const columns: ReportColumn[] = datasets.map((dataset) => {
    const column = cells.filter((c) => c.dataset === dataset);
    // When every model scored the same (a self-check: all at 100%), none is better than another: nothing is marked.
    if (column.every((c) => c.best)) for (const c of column) c.best = false;
    const best = column.filter((c) => c.best);
    const judge = status.results.find((r) => r.dataset === dataset && r.judge !== undefined)?.judge;
    return {
      dataset,
      metric: matrix.metrics[dataset] ?? column.find((c) => c.metric)?.metric,
      ...(judge ? { judge } : {}),
      bestValue: best[0]?.value,
      best: best.map((c) => c.model),
    };
  });

  const efficiency = efficiencyRows(status.results, models, datasets);
  const extraMetrics = extraMetricsRows(status.results, models, datasets);
  return {
    schema: 'evalbench-report/1',
    run: {
      runId: status.runId,
      name: status.name,
      category: status.category,
      createdAt: status.createdAt,
      clusterId: status.clusterId,
      target: status.target,
      state: status.state,
      selfCheck,
      engine: selfCheck ? 'reference' : (config.engineOverride ?? "each model's own engine"),
    },
    selfCheckNote: selfCheck ? SELF_CHECK_NOTE : undefined,
    models,
    datasets,
    columns,
    cells,
    ...(extraMetrics.length ? { extraMetrics } : {}),
    modelStats: models.map((m) => modelStats(m, input, cells, selfCheck)),
    ...(efficiency.length ? { efficiency } : {}),
    failures: countFailures(cells),
    sampleReasons: topSampleReasons(status.results),
    provenance: {
      evalbenchVersion: config.provenance?.['evalbenchVersion'] ?? EVALBENCH_VERSION,
      engineVersions: { ...config.engineVersions, ...engineVersions(events) },
      jobs: status.jobs,
      nodes: unique(
        [
          ...status.jobs.map((j) => j.node),
          ...events.map((e) => (e.type === 'job_started' ? e.node : undefined)),
        ].filter((n): n is string => !!n),
      ),
      seed: config.seed,
      presetId: config.presetId,
      settings: config.settings ?? {},
      extra: Object.fromEntries(Object.entries(config.provenance ?? {}).filter(([k]) => k !== 'evalbenchVersion')),
    },
    generatedAt: now.toISOString(),
  };
}

function isSelfCheck({ status, config }: ReportInput): boolean {
  if (status.reference || config.engineOverride === 'reference') return true;
  return status.results.length > 0 && status.results.every((r) => r.reference === true);
}

function cellFor(
  model: string,
  dataset: string,
  result: TaskResult | undefined,
  state: TaskState | undefined,
  runEnded: boolean,
  runState: string,
): ReportCell {
  const base = { model, dataset, best: false };
  if (result) {
    const scores = {
      metric: result.metric,
      value: result.value,
      stderr: result.stderr,
      n: result.n,
      passed: result.passed,
      failed: result.failed,
      errors: result.errors,
    };
    const failure = result.failure ?? (state?.state === 'failed' ? (state.reason ?? 'failed') : undefined);
    return failure
      ? { ...base, ...scores, status: 'failed', reason: failure }
      : { ...base, ...scores, status: 'scored' };
  }
  if (!state)
    return { ...base, status: 'no_result', reason: runEnded ? 'no result.json and no recorded state' : 'not started' };
  const partial = { metric: state.metric };
  switch (state.state) {
    case 'failed':
      return { ...base, ...partial, status: 'failed', reason: state.reason ?? 'failed (no reason recorded)' };
    case 'cancelled':
      return { ...base, ...partial, status: 'cancelled', reason: state.reason ?? 'cancelled' };
    case 'done':
      return {
        ...base,
        ...partial,
        status: 'no_result',
        reason: state.reason ?? 'marked finished but result.json is missing',
      };
    default: {
      if (runEnded)
        return {
          ...base,
          ...partial,
          status: 'no_result',
          reason:
            state.reason ??
            `the run ended (${runState}) before this task wrote result.json (${state.done}/${state.total ?? '?'} samples done)`,
        };
      return { ...base, ...partial, status: state.state as CellStatus, reason: state.reason };
    }
  }
}

function modelStats(
  model: string,
  { status, config, events }: ReportInput,
  cells: ReportCell[],
  selfCheck: boolean,
): ModelStats {
  const results = status.results.filter((r) => r.model === model);
  let outputTokens = 0;
  let generationS = 0;
  let withThroughput = 0;
  for (const r of results) {
    if (!r.throughput) continue;
    withThroughput++;
    outputTokens += r.throughput.outputTokens;
    generationS += r.throughput.wallS;
  }
  const gpus = selfCheck ? 0 : (config.gpusPerModel?.[model] ?? 0);
  const external = !selfCheck && config.engineOverride?.startsWith('endpoint') === true;
  const jobS = jobSeconds(model, events);
  return {
    model,
    outputTokensPerS: withThroughput > 0 && generationS > 0 ? outputTokens / generationS : null,
    outputTokens,
    generationS,
    gpus,
    // An endpoint's GPUs belong to its server: the run cannot count them.
    gpuHours: external ? null : gpus === 0 ? 0 : jobS === undefined ? null : (gpus * jobS) / 3600,
    samples: results.reduce((s, r) => s + r.n, 0),
    sampleErrors: results.reduce((s, r) => s + r.errors, 0),
    tasksFailed: cells.filter((c) => c.model === model && (c.status === 'failed' || c.status === 'no_result')).length,
  };
}

/** Wall seconds of the model's last job: from its job_started (else job_submitted) to its job_finished. */
function jobSeconds(model: string, events: RunEvent[]): number | undefined {
  let start: number | undefined;
  let end: number | undefined;
  for (const e of events) {
    if (e.model !== model) continue;
    const t = Date.parse(e.time);
    if (!Number.isFinite(t)) continue;
    if (e.type === 'job_started') {
      start = t;
      end = undefined;
    } else if (e.type === 'job_finished') end = t;
  }
  return start !== undefined && end !== undefined && end >= start ? (end - start) / 1000 : undefined;
}

function countFailures(cells: ReportCell[]): FailureCount[] {
  const byReason = new Map<string, FailureCount>();
  for (const c of cells) {
    if (c.status !== 'failed' && c.status !== 'no_result') continue;
    const reason = firstLine(c.reason ?? (c.status === 'no_result' ? 'no result' : 'failed'));
    const entry = byReason.get(reason) ?? { reason, count: 0, tasks: [] };
    entry.count++;
    entry.tasks.push(`${c.model} / ${c.dataset}`);
    byReason.set(reason, entry);
  }
  return [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

const SAMPLE_REASONS_SHOWN = 10;

function topSampleReasons(results: TaskResult[]): Array<{ reason: string; count: number }> {
  const counts = new Map<string, number>();
  for (const r of results)
    for (const [reason, n] of Object.entries(r.reasons)) counts.set(reason, (counts.get(reason) ?? 0) + n);
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason: firstLine(reason), count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, SAMPLE_REASONS_SHOWN);
}

function engineVersions(events: RunEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) if (e.type === 'engine_ready' && e.version) out[e.model] = e.version;
  return out;
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line.trim();
}

function orderedIds(preferred: string[] | undefined, seen: string[]): string[] {
  return unique([...(preferred ?? []), ...seen]);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
