import { resolveColumn } from '../../common/catalog/adapters';
import { describeSettings, mergeOverride, type RerunOverride } from '../../common/run/rerun-override';
import type { RerunPlan, RerunPlanJob } from '../../common/run/rerun-plan';
import { extractRootCause } from '../engines/root-cause';
import { isJobEnded } from '../../common/run/job-state';
import type { RunPaths } from '../store/layout';
import { readRun } from '../store/run-store';
import type { RunRecord } from '../store/run-record';
import { engineFlagsFor, runForModel } from './model-settings';
import { runStatus } from './status';
import { engineDescriptor } from '../../common/catalog/engines';

export class RerunError extends Error {}

export interface RerunPlanOptions {
  failedOnly?: boolean;
  models?: string[];
  override?: RerunOverride;
}

/** Whether `override` can apply to the job of `model`; the reason when it cannot. */
function overrideProblem(
  run: RunRecord,
  model: string,
  override: RerunOverride,
  rerunModels: number,
): string | undefined {
  if (run.request.engineOverride)
    return `the run uses the ${run.request.engineOverride.kind} engine for every model: ${override.kind} does not apply`;
  const column = resolveColumn(run.request.models, model);
  const job = run.plan.jobs.find((j) => j.model === model);
  if (!column || !job) return `model "${model}" is not part of run ${run.runId}`;
  if (!engineDescriptor(column.model.backend).startsServer)
    return `model "${model}" is served by an endpoint the run does not start: ${override.kind} does not apply`;
  const gpusPerNode = run.request.cluster.gpusPerNode;
  if (override.kind === 'tensorParallel' && override.tensorParallel * (job.replicas ?? 1) > gpusPerNode) {
    return `tensor parallelism ${override.tensorParallel}${(job.replicas ?? 1) > 1 ? ` × ${job.replicas} replicas` : ''} needs ${override.tensorParallel * (job.replicas ?? 1)} GPUs but a node of "${run.request.clusterId}" has ${gpusPerNode}`;
  }
  if (override.kind === 'checkpoint') {
    if (rerunModels !== 1)
      return `a checkpoint replaces one model's weights: rerun one model (${rerunModels} would be rerun)`;
    if (column.adapter)
      return `"${model}" is a LoRA adapter column: its base checkpoint cannot be swapped for it alone`;
  }
  return undefined;
}

function planJob(
  run: RunRecord,
  model: string,
  tasks: RerunPlanJob['tasks'],
  override: RerunOverride | undefined,
): RerunPlanJob {
  const before = runForModel(run, model);
  const settings = override ? mergeOverride(run.modelSettings?.[model], override) : run.modelSettings?.[model];
  const next = override ? runForModel(run, model, settings) : before;
  const column = resolveColumn(next.request.models, model)!;
  const job = next.plan.jobs.find((j) => j.model === model)!;
  const maxModelLen = next.request.preset.engine.maxModelLen ?? column.model.contextLength;
  const failureKind = tasks
    .map((t) => (t.reason ? extractRootCause(t.reason)?.kind : undefined))
    .find((k) => k !== undefined);
  const said = settings ? describeSettings(settings) : '';
  return {
    model,
    tasks,
    gpus: job.gpus,
    tensorParallel: job.tensorParallel,
    replicas: job.replicas ?? 1,
    presetId: next.request.presetId,
    engine: next.request.engineOverride?.kind ?? column.model.backend,
    hf: column.model.hf,
    quantization: column.model.quantization,
    ...(maxModelLen !== undefined ? { maxModelLen } : {}),
    engineFlags: engineFlagsFor(next, model),
    previousFlags: engineFlagsFor(before, model),
    ...(failureKind ? { failureKind } : {}),
    ...(said ? { settings: said } : {}),
  };
}

/**
 * Per model, the job a rerun would submit: its unfinished tasks (failed or cancelled ones with `failedOnly`, the
 * default) with the samples already generated, its GPUs and engine flags before and after the override. Models
 * whose job is still active are skipped with the reason. Call under the run's operation lock.
 */
export async function planRerunLocked(paths: RunPaths, opts: RerunPlanOptions): Promise<RerunPlan> {
  const failedOnly = opts.failedOnly ?? true;
  const status = await runStatus(paths);
  const run = readRun(paths);
  for (const m of opts.models ?? [])
    if (!run.plan.jobs.some((j) => j.model === m)) throw new RerunError(`model "${m}" is not part of run ${run.runId}`);
  const wanted = run.plan.jobs.filter((j) => !opts.models?.length || opts.models.includes(j.model));
  const skipped: RerunPlan['skipped'] = [];
  const todo: Array<{ model: string; tasks: RerunPlanJob['tasks'] }> = [];
  for (const job of wanted) {
    const jobState = status.jobs.find((j) => j.model === job.model);
    if (jobState && !isJobEnded(jobState.state)) {
      skipped.push({ model: job.model, reason: `job ${jobState.jobId} is ${jobState.state}` });
      continue;
    }
    const tasks = status.taskStates
      .filter(
        (t) =>
          t.model === job.model && (failedOnly ? t.state === 'failed' || t.state === 'cancelled' : t.state !== 'done'),
      )
      .map((t) => ({
        dataset: t.dataset,
        state: t.state,
        done: t.done,
        total: t.total,
        ...(t.reason ? { reason: t.reason } : {}),
      }));
    if (tasks.length) todo.push({ model: job.model, tasks });
  }
  if (opts.override) {
    for (const { model } of todo) {
      const problem = overrideProblem(run, model, opts.override, todo.length);
      if (problem) throw new RerunError(problem);
    }
  }
  return {
    runId: run.runId,
    ...(run.request.name ? { runName: run.request.name } : {}),
    clusterId: run.request.clusterId,
    ...(run.request.cluster.partition ? { partition: run.request.cluster.partition } : {}),
    gpusPerNode: run.request.cluster.gpusPerNode,
    gpuMemoryGb: run.request.cluster.gpuMemoryGb,
    ...(opts.override ? { override: opts.override } : {}),
    jobs: todo.map(({ model, tasks }) => planJob(run, model, tasks, opts.override)),
    skipped,
  };
}
