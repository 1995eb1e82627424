import * as os from 'os';
import { resolveColumn } from '../../common/catalog/adapters';
import { isClusterPath } from '../../common/catalog/model-source';
import { DatasetError } from '../datasets';
import { startEngine } from '../engines';
import { startGpuMemorySampler, type GpuMemorySampler } from '../engines/gpu-memory';
import { startMetricsSampler } from '../engines/metrics';
import { extractRootCause } from '../engines/root-cause';
import { EngineStartError, type EngineHandle } from '../engines/types';
import { appendEvent } from '../store/events';
import { RunPaths } from '../store/layout';
import { readRun, updateRun } from '../store/run-store';
import { latestAttempts } from '../store/run-record';
import { recordTaskFailure, taskSucceeded } from '../store/task-files';
import { runForModel } from '../runs/model-settings';
import { missingDatasetFiles } from './check-datasets';
import type { JobContext } from './context';
import { runJudgePhase } from './judge-phase';
import { runTask, type GeneratedTask } from './run-task';
import { engineDescriptor } from '../../common/catalog/engines';
import { errorMessage } from '../../common/error-message';

export interface JobOptions {
  runDir: string;
  model: string;
  signal: AbortSignal;
  /** Lines for the job log. */
  log?: (message: string) => void;
}

/** Exit status of `evalbench work`: 0 when every task finished, 1 when one failed, 143 when stopped. */
export type JobExit = 0 | 1 | 143;

function jobIdOfThisProcess(): string {
  return process.env.SLURM_JOB_ID ?? process.env.EVALBENCH_JOB_ID ?? `pid-${process.pid}`;
}

/**
 * What runs inside a model's job: start its engine once, run its unfinished tasks in the plan's order, stop the
 * engine's whole process group at the end. An engine that does not start fails every task with its root cause.
 */
export async function runJob(opts: JobOptions): Promise<JobExit> {
  const paths = new RunPaths(opts.runDir);
  const log = opts.log ?? ((m: string) => process.stdout.write(`[evalbench ${new Date().toISOString()}] ${m}\n`));
  const modelId = opts.model;
  // What the model's reruns changed (more tensor parallelism, another preset, …) applies from here on.
  const run = runForModel(readRun(paths), modelId);
  const column = resolveColumn(run.request.models, modelId);
  const model = column?.model;
  const planJob = run.plan.jobs.find((j) => j.model === modelId);
  if (!model || !planJob) throw new Error(`model "${modelId}" is not part of run ${run.runId}`);
  const jobId = jobIdOfThisProcess();
  const node = os.hostname();
  updateRun(paths, (r) => {
    const attempt = r.jobs.find((j) => j.jobId === jobId && j.model === modelId);
    if (attempt) Object.assign(attempt, { node, startedAt: new Date().toISOString() });
  });
  appendEvent(paths, { type: 'job_started', model: modelId, jobId, node });
  const attempt = latestAttempts(run).get(modelId);
  const planned = attempt?.jobId === jobId ? attempt.datasets : planJob.datasets;
  const todo = planJob.datasets.filter((d) => planned.includes(d) && !taskSucceeded(paths, modelId, d));
  log(`job ${jobId} on ${node}: model ${modelId} (${model.hf}), tasks: ${todo.join(', ') || 'none left'}`);
  if (todo.length === 0) return 0;
  const missing = missingDatasetFiles(run, todo);
  for (const [dataset, reason] of missing) {
    recordTaskFailure(paths, { model: modelId, dataset, reason, jobId });
    log(`task ${dataset} failed: ${reason}`);
  }
  const datasets = todo.filter((d) => !missing.has(d));
  if (datasets.length === 0) {
    log('no task has its data: the engine is not started');
    return 1;
  }

  const backend = run.request.engineOverride?.kind ?? model.backend;
  const startsServer = !run.request.engineOverride && engineDescriptor(model.backend).startsServer;
  // A process engine records its rendered command as it starts it (startEngineAndRunTasks); others have none to show.
  if (!startsServer)
    appendEvent(paths, { type: 'engine_starting', model: modelId, jobId, command: `${backend} ${model.hf}` });
  // Efficiency runs (the preset streams) record peak GPU memory, from before the engine loads; only a local engine's GPUs can be seen.
  const gpuMemory =
    run.request.preset.generation.stream && startsServer
      ? startGpuMemorySampler({ intervalMs: Number(process.env.EVALBENCH_GPU_SAMPLE_MS) || 2000 })
      : undefined;
  try {
    const exit = await startEngineAndRunTasks(opts, {
      paths,
      run,
      modelId,
      model,
      jobId,
      planJob,
      datasets,
      log,
      gpuMemory,
      column: column!,
    });
    return exit === 0 && missing.size ? 1 : exit;
  } finally {
    gpuMemory?.stop();
  }
}

interface JobSetup extends Pick<JobContext, 'paths' | 'run' | 'modelId' | 'model' | 'jobId' | 'log'> {
  planJob: { tensorParallel: number; replicas?: number };
  datasets: string[];
  gpuMemory?: GpuMemorySampler;
  column: NonNullable<ReturnType<typeof resolveColumn>>;
}

async function startEngineAndRunTasks(opts: JobOptions, setup: JobSetup): Promise<JobExit> {
  const { paths, run, modelId, model, jobId, planJob, datasets, log, gpuMemory, column } = setup;
  // A checkpoint directory is served under its catalog id unless it names its own servedName.
  const servedName = model.servedName ?? (isClusterPath(model.hf) ? column.baseId : undefined);
  let engine: EngineHandle;
  try {
    const served = datasets.flatMap((d) => run.request.datasets[d] ?? []);
    engine = await startEngine({
      modelId,
      model,
      ...(servedName ? { servedName } : {}),
      ...(column.adapter ? { adapter: column.adapter } : {}),
      preset: run.request.preset,
      cluster: run.request.cluster,
      override: run.request.engineOverride,
      tensorParallel: planJob.tensorParallel,
      replicas: planJob.replicas ?? 1,
      datasets: served,
      loglikelihood: datasets.some((d) => run.request.datasets[d]?.mode === 'loglikelihood'),
      output: process.stdout,
      signal: opts.signal,
      onCommand: (command) => appendEvent(paths, { type: 'engine_starting', model: modelId, jobId, command }),
    });
  } catch (err) {
    if (opts.signal.aborted) return 143;
    const reason =
      err instanceof EngineStartError
        ? `engine failed to start (${err.how}): ${err.rootCause}${err.hint ? ` — ${err.hint}` : ''}`
        : `engine failed to start: ${errorMessage(err)}`;
    appendEvent(paths, { type: 'engine_failed', model: modelId, jobId, reason });
    for (const dataset of datasets) recordTaskFailure(paths, { model: modelId, dataset, reason, jobId });
    log(reason);
    return 1;
  }
  appendEvent(paths, {
    type: 'engine_ready',
    model: modelId,
    jobId,
    loadS: Math.round(engine.loadS * 10) / 10,
    ...(engine.version ? { version: engine.version } : {}),
  });
  updateRun(paths, (r) => {
    const a = r.jobs.find((j) => j.jobId === jobId && j.model === modelId);
    if (!a) return;
    if (engine.version) a.engineVersion = engine.version;
    if (engine.pid) a.enginePid = engine.pid;
  });
  let gone: string | undefined;
  let stopping = false;
  void engine.exited.then((how) => {
    if (stopping) return;
    const cause = extractRootCause(engine.outputTail(400));
    gone = `engine exited mid-run (${how})${cause ? `: ${cause.message}` : ''}`;
    appendEvent(paths, { type: 'log', level: 'error', model: modelId, jobId, message: gone });
  });
  const sampler = startMetricsSampler({
    baseUrl: engine.baseUrl,
    headers: engine.headers,
    intervalMs: Number(process.env.EVALBENCH_METRICS_INTERVAL_MS) || 10_000,
    onSample: (m) =>
      appendEvent(paths, {
        type: 'metrics',
        model: modelId,
        jobId,
        running: m.running,
        kvCacheUsage: m.kvCacheUsage,
        generationTokens: m.generationTokens,
        tokensPerS: m.tokensPerS,
      }),
  });
  let failed = false;
  const ctx: JobContext = {
    paths,
    run,
    modelId,
    model,
    jobId,
    engine,
    signal: opts.signal,
    log,
    engineGone: () => gone,
    ...(gpuMemory ? { gpuMemory } : {}),
  };
  const awaitingJudge: GeneratedTask[] = [];
  const stopModelEngine = async (): Promise<void> => {
    stopping = true;
    sampler.stop();
    await engine.stop();
  };
  try {
    for (const dataset of datasets) {
      if (opts.signal.aborted) return 143;
      let outcome;
      try {
        outcome = await runTask(ctx, dataset);
      } catch (err) {
        if (opts.signal.aborted) return 143;
        const reason = err instanceof DatasetError ? err.message : `task crashed: ${errorMessage(err)}`;
        recordTaskFailure(paths, { model: modelId, dataset, reason, jobId });
        log(reason);
        outcome = 'failed';
      }
      if (outcome === 'aborted') return 143;
      if (outcome === 'failed') failed = true;
      if (typeof outcome === 'object') awaitingJudge.push(outcome.awaitingJudge);
    }
    if (awaitingJudge.length) {
      const judged = await runJudgePhase(ctx, awaitingJudge, stopModelEngine);
      if (judged === 'aborted') return 143;
      if (judged === 'failed') failed = true;
    }
    return failed ? 1 : 0;
  } finally {
    await stopModelEngine();
  }
}
