import { resolveColumn } from '../../common/catalog/adapters';
import * as path from 'path';
import { effectiveConcurrency } from '../../common/catalog/preset';
import { judgeLabel, resolveJudge, type ResolvedJudge } from '../../common/run/judge';
import type { JudgeSpec } from '../../common/run/request';
import { loadDataset } from '../datasets';
import { EngineStartError } from '../engines/types';
import { writeJsonAtomic } from '../store/atomic';
import type { RunPaths } from '../store/layout';
import { idToSegment } from '../store/path-segment';
import { readPredictions } from '../store/predictions';
import { readRun } from '../store/run-store';
import { taskLoadOptions } from '../datasets/task-load-options';
import { startJudgeEngine } from './judge-engine';
import { combineGame, pairMatches, summarizeGames, type PairGame, type PairMatch, type PairSummary } from './pairwise';
import { sendJudgeRequests, type JudgeCall } from './send';

export class PairwiseError extends Error {}

export interface PairwiseOptions {
  paths: RunPaths;
  dataset: string;
  models: [string, string];
  /** In place of the dataset's own judge: a model of the run's request, or a server at a URL. */
  judge?: JudgeSpec;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** What `judge-pairwise` writes to runs/<run>/pairwise/<dataset>/<a>__vs__<b>.json and prints. */
export interface PairwiseReport {
  runId: string;
  dataset: string;
  models: { a: string; b: string };
  judge: string;
  /** Samples both models answered (failed generations on either side are left out, and counted here). */
  samples: number;
  skipped: number;
  summary: PairSummary;
  games: PairGame[];
  file: string;
  createdAt: string;
}

function chooseJudge(o: PairwiseOptions, run: ReturnType<typeof readRun>): ResolvedJudge {
  const request = run.request;
  if (o.judge === undefined || typeof o.judge === 'string') {
    const r = resolveJudge(o.judge === undefined ? request : { ...request, judge: o.judge }, o.dataset);
    if (!r.ok)
      throw new PairwiseError(
        `${r.reason}${o.judge === undefined ? '' : ' (a judge named with --judge must be a model of this run; else give --judge-url and --judge-model)'}`,
      );
    return r.judge;
  }
  return { kind: 'endpoint', url: o.judge.url, model: o.judge.model };
}

/**
 * Compares two models' answers on one dataset of a run with a judge, MT-Bench's pairwise way: every turn both
 * answered, asked twice with the answers in both orders. The judge's engine starts where this runs (or is reached at
 * its URL); nothing of the run's tasks changes.
 */
export async function runPairwise(o: PairwiseOptions): Promise<PairwiseReport> {
  const run = readRun(o.paths);
  const [a, b] = o.models;
  if (a === b) throw new PairwiseError(`compare two different models (got ${a} twice)`);
  const dataset = run.request.datasets[o.dataset];
  if (!dataset)
    throw new PairwiseError(
      `dataset "${o.dataset}" is not part of run ${run.runId} (datasets: ${Object.keys(run.request.datasets).join(', ')})`,
    );
  for (const m of o.models) {
    if (!run.plan.tasks.some((t) => t.model === m && t.dataset === o.dataset))
      throw new PairwiseError(`model "${m}" did not run on ${o.dataset} in run ${run.runId}`);
  }
  const judge = chooseJudge(o, run);
  const label = judgeLabel(judge);
  const loaded = await loadDataset(dataset, taskLoadOptions(run, resolveColumn(run.request.models, a)!.model));
  const byId = (model: string) =>
    new Map(readPredictions(o.paths.predictions(model, o.dataset)).predictions.map((p) => [p.id, p]));
  const predsA = byId(a);
  const predsB = byId(b);
  const matches: PairMatch[] = [];
  let samples = 0;
  let skipped = 0;
  for (const sample of loaded.samples) {
    const pa = predsA.get(sample.id);
    const pb = predsB.get(sample.id);
    if (!pa || !pb || pa.error !== undefined || pb.error !== undefined) {
      skipped++;
      continue;
    }
    samples++;
    matches.push(...pairMatches(sample, pa, pb));
  }
  if (matches.length === 0) throw new PairwiseError(`no sample of ${o.dataset} has answers from both ${a} and ${b}`);
  const calls: JudgeCall[] = matches.flatMap((m, i) => [
    { key: `${i}:a`, messages: m.aFirst.messages },
    { key: `${i}:b`, messages: m.bFirst.messages },
  ]);
  o.log?.(`judging ${matches.length} games (${calls.length} requests) of ${a} vs ${b} on ${o.dataset} with ${label}`);
  let engine;
  try {
    engine = await startJudgeEngine(judge, {
      preset: run.request.preset,
      cluster: run.request.cluster,
      signal: o.signal,
    });
  } catch (err) {
    throw new PairwiseError(
      `judge ${label} failed to start ${err instanceof EngineStartError ? `(${err.how}): ${err.rootCause}` : `: ${(err as Error).message}`}`,
    );
  }
  let sent;
  try {
    sent = await sendJudgeRequests(engine, calls, {
      concurrency: effectiveConcurrency(run.request.preset),
      timeoutMs: run.request.preset.generation.requestTimeoutS * 1000,
      signal: o.signal,
    });
  } finally {
    await engine.stop();
  }
  if (sent.aborted) throw new PairwiseError('cancelled');
  const games = matches.map((m, i) =>
    combineGame(
      m,
      sent.replies.get(`${i}:a`) ?? { error: 'no answer' },
      sent.replies.get(`${i}:b`) ?? { error: 'no answer' },
    ),
  );
  const file = path.join(
    o.paths.dir,
    'pairwise',
    idToSegment(o.dataset),
    `${idToSegment(a)}__vs__${idToSegment(b)}.json`,
  );
  const report: PairwiseReport = {
    runId: run.runId,
    dataset: o.dataset,
    models: { a, b },
    judge: label,
    samples,
    skipped,
    summary: summarizeGames(games),
    games,
    file,
    createdAt: new Date().toISOString(),
  };
  writeJsonAtomic(file, report);
  return report;
}
