import { isJobEnded } from '../../common/run/job-state';
import { resolveColumn } from '../../common/catalog/adapters';
import { datasetScorer } from '../../common/catalog/dataset';
import type { Prediction } from '../../common/run/records';
import { loadDataset } from '../datasets';
import { createScorer, metricName } from '../scoring';

import type { RunPaths } from '../store/layout';
import { countPredictions, describeUnreadable, readPredictions } from '../store/predictions';
import { transformPredictions, type Rewritten } from '../store/predictions-rewrite';
import { readRun, withRunOperation } from '../store/run-store';
import { readResult, writeResult } from '../store/task-files';
import { taskLoadOptions } from '../datasets/task-load-options';
import { buildTaskResult, tallyPrediction, taskTally } from '../work/task-result';
import { SampleLookup } from './sample-lookup';
import { rescorerOf } from './rescore-prediction';
import { runStatus } from './status';

export class RescoreError extends Error {}

export interface RescoreOutcome {
  value: number;
  stderr: number;
  metric: string;
  n: number;
  failure?: string;
  /** Lines of predictions.jsonl that are not predictions (`file:line: why`); kept in the file, reported here. */
  unreadable?: string[];
  /** Samples of the dataset with no readable prediction: counted as not scored, generated again by a rerun. */
  unscored?: number;
}

/**
 * Recomputes every verdict of a task from its predictions with the dataset's current scorer, then its result
 * (only for a task that had one or has every sample). Nothing is generated. Refused while the model's job runs
 * (the job is the file's only writer then). A line that is not a prediction is reported and kept in the file; its
 * sample counts as not scored and fails the task, so a rerun generates it again.
 */
export function rescoreTask(paths: RunPaths, model: string, datasetId: string): Promise<RescoreOutcome> {
  return withRunOperation(paths, () => rescoreLocked(paths, model, datasetId));
}

async function rescoreLocked(paths: RunPaths, model: string, datasetId: string): Promise<RescoreOutcome> {
  const run = readRun(paths);
  if (!run.plan.tasks.some((t) => t.model === model && t.dataset === datasetId))
    throw new RescoreError(`task ${model}/${datasetId} is not part of run ${run.runId}`);
  const status = await runStatus(paths);
  const job = status.jobs.find((j) => j.model === model);
  if (job && !isJobEnded(job.state))
    throw new RescoreError(`job ${job.jobId} of ${model} is ${job.state}: rescore once it has ended`);
  const dataset = run.request.datasets[datasetId]!;
  const modelEntry = resolveColumn(run.request.models, model)!.model;
  const file = paths.predictions(model, datasetId);
  if (countPredictions(file).done === 0) {
    const { unreadable } = readPredictions(file);
    const badLines = unreadable.length ? describeUnreadable(file, unreadable) : '';
    throw new RescoreError(
      `task ${model}/${datasetId} has no predictions to rescore${badLines ? ` (${badLines})` : ''}`,
    );
  }
  // Scoring reads no prompt: none is built.
  const loaded = await loadDataset(dataset, { ...taskLoadOptions(run, modelEntry), prompts: false });
  const lookup = new SampleLookup(loaded.samples);
  const scorer = createScorer(dataset, { python: run.request.cluster.python });
  const scorerName = scorer.name || datasetScorer(dataset);
  // Tallied as they are written, never kept: those of the dataset's samples, and those of samples it no longer has
  // (which count only when the task has no other).
  const inDataset = taskTally(scorerName);
  const elsewhere = taskTally(scorerName);
  let firstTime: string | undefined;
  let rewritten: Rewritten;
  try {
    rewritten = await transformPredictions(
      file,
      rescorerOf(scorer, (p) => lookup.get(p.id, p.index), dataset),
      (p) => {
        firstTime ??= p.time;
        tallyPrediction(lookup.has(p.id, p.index) ? inDataset : elsewhere, p);
      },
    );
  } finally {
    await scorer.close();
  }
  const { unreadable } = rewritten;
  const badLines = unreadable.length ? describeUnreadable(file, unreadable) : '';
  if (firstTime === undefined)
    throw new RescoreError(`task ${model}/${datasetId} has no readable prediction to rescore (${badLines})`);
  const previous = readResult(paths, model, datasetId);
  const missing = lookup.unfound();
  const tally = inDataset.n ? inDataset : elsewhere;
  for (const s of missing) tallyPrediction(tally, notScored(s.id, s.index, firstTime));
  const result = buildTaskResult({
    model,
    dataset: datasetId,
    predictions: tally,
    scorer: scorerName,
    metric: metricName(dataset),
    startedAt: previous?.startedAt ?? firstTime,
    endedAt: previous?.endedAt ?? new Date().toISOString(),
    jobId: previous?.jobId,
    throughput: previous?.throughput,
    efficiency: previous?.efficiency,
    judge: previous?.judge,
    reference: previous?.reference,
  });
  if (missing.length) {
    const why = `${missing.length} of ${loaded.samples.length} samples have no readable prediction${badLines ? ` (${badLines})` : ''}; rerun the task to generate them`;
    result.failure = result.failure ? `${why}; ${result.failure}` : why;
  }
  // A task cut short keeps no result: a result would make it look finished.
  if (previous || missing.length === 0) writeResult(paths, result);
  return {
    value: result.value,
    stderr: result.stderr,
    metric: result.metric,
    n: result.n,
    ...(result.failure ? { failure: result.failure } : {}),
    ...(unreadable.length ? { unreadable: unreadable.map((u) => `${file}:${u.line}: ${u.reason}`) } : {}),
    ...(missing.length ? { unscored: missing.length } : {}),
  };
}

/** A sample without a readable prediction, as the task counts it: not scored (an error, never a pass). */
function notScored(id: string, index: number, time: string): Prediction {
  return {
    id,
    index,
    prompt: '',
    output: '',
    finishReason: null,
    promptTokens: null,
    completionTokens: null,
    latencyMs: 0,
    verdict: 'error',
    reason: 'no readable prediction',
    time,
  };
}
