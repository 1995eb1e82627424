import { effectiveConcurrency } from '../../common/catalog/preset';
import { datasetScorer } from '../../common/catalog/dataset';
import type { Efficiency, Prediction, Throughput } from '../../common/run/records';
import { isJudgedDataset } from '../../common/run/judge';
import { loadDataset } from '../datasets';
import type { Sample } from '../datasets/types';
import { drive } from '../generate/driver';
import { chatTemplateKwargsFor } from '../generate/settings';
import { createScorer, metricName } from '../scoring';
import { appendEvent } from '../store/events';
import { describeUnreadable, openPredictionsForAppend, readPredictions } from '../store/predictions';
import { recordTaskFailure, writeResult } from '../store/task-files';
import type { JobContext } from './context';
import { taskEfficiency } from './efficiency';
import { taskLoadOptions } from '../datasets/task-load-options';
import { scorePrediction } from './score-prediction';
import { buildTaskResult } from './task-result';

const PROGRESS_EVERY_MS = 1_000;

/** A judged task whose answers are all generated: the judge grades them once the job's generation is done. */
export interface GeneratedTask {
  dataset: string;
  samples: Sample[];
  startedAt: string;
  throughput: Throughput;
  efficiency?: Efficiency;
}

export type TaskOutcome = 'finished' | 'failed' | 'aborted' | { awaitingJudge: GeneratedTask };

/**
 * One dataset on the job's engine: load the samples, skip those already predicted (a resumed task), drive the rest
 * concurrently, score and append each prediction as it arrives, then write result.json from the whole file.
 */
export async function runTask(ctx: JobContext, datasetId: string): Promise<TaskOutcome> {
  const { paths, run, modelId, model, engine } = ctx;
  const dataset = run.request.datasets[datasetId];
  const fail = (reason: string): TaskOutcome => {
    recordTaskFailure(paths, { model: modelId, dataset: datasetId, reason, jobId: ctx.jobId });
    ctx.log(`task ${datasetId} failed: ${reason}`);
    return 'failed';
  };
  if (!dataset) return fail(`dataset "${datasetId}" is not in the run request`);
  const goneBefore = ctx.engineGone();
  if (goneBefore) return fail(goneBefore);
  const startedAt = new Date().toISOString();
  const preset = run.request.preset;
  const concurrency = effectiveConcurrency(preset, run.plan.jobs.find((j) => j.model === modelId)?.replicas ?? 1);
  const loaded = await loadDataset(dataset, { ...taskLoadOptions(run, model), vision: model.vision, log: ctx.log });
  for (const p of loaded.problems.slice(0, 5))
    appendEvent(paths, {
      type: 'log',
      level: 'warn',
      model: modelId,
      dataset: datasetId,
      message: `${p.file}:${p.line}: ${p.message}`,
    });
  if (loaded.samples.length === 0)
    return fail(
      `dataset "${datasetId}" has no samples${loaded.problems[0] ? ` (${loaded.problems[0].file}:${loaded.problems[0].line}: ${loaded.problems[0].message})` : ` (${dataset.path})`}`,
    );
  const samples = loaded.samples;
  const file = paths.predictions(modelId, datasetId);
  const writer = openPredictionsForAppend(file);
  // Errored generations are tried again on resume; every real answer is kept as it is.
  const have = new Set(writer.existing.filter((p) => p.error === undefined).map((p) => p.id));
  const todo = samples.filter((s) => !have.has(s.id));
  appendEvent(paths, {
    type: 'task_started',
    model: modelId,
    dataset: datasetId,
    jobId: ctx.jobId,
    total: samples.length,
    skipped: samples.length - todo.length,
  });
  ctx.log(
    `task ${datasetId}: ${samples.length} samples, ${samples.length - todo.length} already done${writer.dropBytes ? `, dropped a torn line of ${writer.dropBytes} bytes` : ''}`,
  );
  engine.registerSamples(samples);
  const scorer = createScorer(dataset, { python: run.request.cluster.python });
  const sampleIds = new Set(samples.map((s) => s.id));
  let done = samples.length - todo.length;
  let passed = writer.existing.filter((p) => have.has(p.id) && sampleIds.has(p.id) && p.verdict === 'pass').length;
  let completionTokens = 0;
  const t0 = Date.now();
  let lastProgress = 0;
  const progress = (force: boolean): void => {
    if (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = Date.now();
    const tokensPerS = completionTokens / Math.max(0.001, (Date.now() - t0) / 1000);
    appendEvent(paths, {
      type: 'progress',
      model: modelId,
      dataset: datasetId,
      jobId: ctx.jobId,
      done,
      total: samples.length,
      passed,
      tokensPerS: Math.round(tokensPerS * 10) / 10,
    });
  };
  try {
    const generation = preset.generation;
    const driven = await drive({
      baseUrl: engine.baseUrl,
      ...(engine.replicaBaseUrls ? { replicaBaseUrls: engine.replicaBaseUrls } : {}),
      servedModel: engine.servedModel,
      headers: engine.headers,
      samples: todo,
      chat: model.chat,
      settings: {
        temperature: generation.temperature,
        topP: generation.topP,
        maxTokens: dataset.maxTokens ?? generation.maxTokens,
        seed: generation.seed,
        ...((loaded.stop ?? dataset.stop)?.length ? { stop: loaded.stop ?? dataset.stop } : {}),
        n: generation.samplesPerPrompt,
        chatTemplateKwargs: chatTemplateKwargsFor(model, preset),
      },
      concurrency,
      requestTimeoutMs: generation.requestTimeoutS * 1000,
      signal: ctx.signal,
      stream: generation.stream === true,
      onPrediction: async (generated, sample) => {
        const scored = await scorePrediction(scorer, sample, generated);
        if (ctx.signal.aborted) return;
        writer.append(scored);
        done++;
        if (scored.verdict === 'pass') passed++;
        completionTokens += scored.completionTokens ?? 0;
        progress(false);
      },
    });
    if (driven.aborted || ctx.signal.aborted) return 'aborted';
    const isolation = scorer.isolation?.();
    if (isolation) ctx.log(`task ${datasetId}: ${isolation}`);
    progress(true);
    const read = readPredictions(file);
    const predictions: Prediction[] = read.predictions.filter((p) => sampleIds.has(p.id));
    const badLines = read.unreadable.length ? describeUnreadable(file, read.unreadable) : '';
    // Unreadable lines stay in the file (their samples were generated again above): say so once per task.
    if (badLines)
      appendEvent(paths, {
        type: 'log',
        level: 'warn',
        model: modelId,
        dataset: datasetId,
        jobId: ctx.jobId,
        message: `lines that are not predictions, kept and skipped: ${badLines}`,
      });
    const missing = samples.length - predictions.length;
    if (missing > 0)
      return fail(
        `${missing} of ${samples.length} samples have no prediction after generation${badLines ? ` (${badLines})` : ''}`,
      );
    // Only what this attempt generated was measured: a resumed task with nothing left to generate has no efficiency.
    const efficiency =
      generation.stream && driven.count > 0 ? await taskEfficiency(ctx, driven, concurrency) : undefined;
    if (isJudgedDataset(dataset)) {
      ctx.log(`task ${datasetId}: ${samples.length} answers generated, graded by the judge once generation is done`);
      return {
        awaitingJudge: {
          dataset: datasetId,
          samples,
          startedAt,
          throughput: driven.throughput,
          ...(efficiency ? { efficiency } : {}),
        },
      };
    }
    const result = buildTaskResult({
      model: modelId,
      dataset: datasetId,
      predictions,
      scorer: scorer.name || datasetScorer(dataset),
      metric: metricName(dataset),
      startedAt,
      endedAt: new Date().toISOString(),
      jobId: ctx.jobId,
      throughput: driven.throughput,
      efficiency,
      reference: engine.reference,
    });
    const gone = ctx.engineGone();
    if (result.failure !== undefined && gone) result.failure = `${gone}; ${result.failure}`;
    writeResult(paths, result);
    if (result.failure !== undefined) {
      appendEvent(paths, {
        type: 'task_failed',
        model: modelId,
        dataset: datasetId,
        jobId: ctx.jobId,
        reason: result.failure,
      });
      ctx.log(`task ${datasetId} failed: ${result.failure}`);
      return 'failed';
    }
    appendEvent(paths, {
      type: 'task_finished',
      model: modelId,
      dataset: datasetId,
      jobId: ctx.jobId,
      value: result.value,
      stderr: result.stderr,
      metric: result.metric,
    });
    ctx.log(
      `task ${datasetId}: ${result.metric} ${result.value.toFixed(4)} ± ${result.stderr.toFixed(4)} (${result.passed}/${result.n}), ${driven.throughput.outputTokensPerS.toFixed(1)} output tok/s`,
    );
    return 'finished';
  } finally {
    await scorer.close();
  }
}
