import { ScorerName } from '../../common/catalog/scorers';
import type { Efficiency, TaskResult, Throughput } from '../../common/run/records';
import type { ScoredPrediction } from '../store/predictions-rewrite';
import { reasonClass } from '../../common/run/reason-class';
import { summarize } from '../scoring';
import { SCORER_IMPLEMENTATIONS } from '../scoring/registry';

export interface TaskResultInput {
  model: string;
  dataset: string;
  /** The task's predictions, one per sample (as read back from predictions.jsonl); only their verdicts are read. */
  predictions: ReadonlyArray<ScoredPrediction>;
  scorer: string;
  /** The dataset's metric name (accuracy, pass@1, …). */
  metric?: string;
  startedAt: string;
  endedAt: string;
  jobId?: string;
  throughput?: Throughput;
  efficiency?: Efficiency;
  /** Who graded a judged task (scorer "judge"): its metric is then the mean rating, not the pass rate. */
  judge?: string;
  reference?: boolean;
}

/** More than half the samples errored: the task measured the engine or the scorer, not the model. */
export function mostlyErrored(errors: number, n: number): boolean {
  return n > 0 && errors * 2 > n;
}

function reasonOf(p: ScoredPrediction): string {
  return p.reason ?? p.error ?? 'not scored';
}

/** `(N×): reason` for the commonest class of error: the reason itself when all N agree, else the class and one example. */
function commonestError(predictions: ReadonlyArray<ScoredPrediction>): string {
  const byClass = new Map<string, string[]>();
  for (const p of predictions) {
    if ((p.verdict ?? 'error') !== 'error') continue;
    const reason = reasonOf(p);
    const key = reasonClass(reason);
    byClass.set(key, [...(byClass.get(key) ?? []), reason]);
  }
  const top = [...byClass.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  if (!top) return '(0×): unknown';
  const [cls, reasons] = top;
  const example = reasons[0]!;
  return reasons.every((r) => r === example)
    ? `(${reasons.length}×): ${example}`
    : `(${reasons.length}×): ${cls}, e.g. ${example}`;
}

/** result.json of a task from its predictions; a task whose samples mostly errored carries `failure` with the commonest error. */
export function buildTaskResult(input: TaskResultInput): TaskResult {
  const summary = summarize(
    input.predictions.map((p) => ({ verdict: p.verdict ?? 'error', reason: reasonOf(p), passes: p.passes })),
    { metric: input.metric },
  );
  const aggregated = ScorerName.safeParse(input.scorer).success
    ? SCORER_IMPLEMENTATIONS[input.scorer as ScorerName].aggregate?.(input.predictions)
    : undefined;
  if (aggregated?.value !== undefined) Object.assign(summary, { value: aggregated.value, stderr: aggregated.stderr });
  const extraMetrics = aggregated && Object.keys(aggregated.extraMetrics).length ? aggregated.extraMetrics : undefined;
  const result: TaskResult = {
    model: input.model,
    dataset: input.dataset,
    ...summary,
    ...(extraMetrics ? { extraMetrics } : {}),
    scorer: input.scorer,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    ...(input.jobId ? { jobId: input.jobId } : {}),
    ...(input.throughput ? { throughput: input.throughput } : {}),
    ...(input.efficiency ? { efficiency: input.efficiency } : {}),
    ...(input.judge ? { judge: input.judge } : {}),
    ...(input.reference ? { reference: true } : {}),
  };
  if (summary.n === 0) result.failure = 'no samples were scored';
  else if (mostlyErrored(summary.errors, summary.n)) {
    result.failure = `${summary.errors} of ${summary.n} samples errored; most often ${commonestError(input.predictions)}`;
  }
  return result;
}
