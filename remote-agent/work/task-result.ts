import { ScorerName } from '../../common/catalog/scorers';
import type { Efficiency, Prediction, TaskResult, Throughput } from '../../common/run/records';
import { ScoreTally } from '../scoring/score-tally';
import { SCORER_IMPLEMENTATIONS } from '../scoring/registry';

/** What a task's result needs of each prediction. */
export type ScoredPrediction = Pick<
  Prediction,
  'id' | 'index' | 'verdict' | 'reason' | 'error' | 'passes' | 'details' | 'time'
>;

export interface TaskResultInput {
  model: string;
  dataset: string;
  /**
   * The task's predictions, one per sample (as read back from predictions.jsonl; only their verdicts are read), or
   * their tally from taskTally (a task too large to keep in memory).
   */
  predictions: ReadonlyArray<ScoredPrediction> | ScoreTally;
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

/** What explains a prediction's verdict in the counts by reason. */
export function reasonOf(p: ScoredPrediction): string {
  return p.reason ?? p.error ?? 'not scored';
}

/** Whether the task's scorer reports metrics beyond the pass rate, from each prediction's details (see `aggregate`). */
export function scorerAggregates(scorer: string): boolean {
  return ScorerName.safeParse(scorer).success && !!SCORER_IMPLEMENTATIONS[scorer as ScorerName].aggregate;
}

/** A tally for a task result of `scorer`, fed one prediction at a time with tallyPrediction. */
export function taskTally(scorer: string): ScoreTally {
  return new ScoreTally(scorerAggregates(scorer));
}

export function tallyPrediction(tally: ScoreTally, p: ScoredPrediction): void {
  tally.add(p.verdict, reasonOf(p), p.passes, p.details);
}

export function buildTaskResult(input: TaskResultInput): TaskResult {
  let tally: ScoreTally;
  if (input.predictions instanceof ScoreTally) tally = input.predictions;
  else {
    tally = taskTally(input.scorer);
    for (const p of input.predictions) tallyPrediction(tally, p);
  }
  const summary = tally.summary(input.metric);
  const aggregated = tally.aggregated
    ? SCORER_IMPLEMENTATIONS[input.scorer as ScorerName].aggregate?.(tally.aggregated)
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
    result.failure = `${summary.errors} of ${summary.n} samples errored; most often ${tally.commonestError()}`;
  }
  return result;
}
