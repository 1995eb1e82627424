import { mergeOverride, describeOverride, type RerunOverride } from '../../common/run/rerun-override';
import type { RerunPlan } from '../../common/run/rerun-plan';
import { schedulerFor } from '../slurm/schedulers';
import { appendEvent } from '../store/events';
import type { RunPaths } from '../store/layout';
import { readRun, updateRun, withRunOperation } from '../store/run-store';
import { archiveTaskOutcome } from '../store/task-files';
import { runForModel } from './model-settings';
import { planRerunLocked, RerunError } from './rerun-plan';
import { submitModelJob } from './submit-job';

export { RerunError } from './rerun-plan';

export interface RerunOptions {
  /** Only tasks that failed or were cancelled (default); else every task that has not passed. */
  failedOnly?: boolean;
  models?: string[];
  /** A change to every resubmitted job, kept in run.json (modelSettings) for the model's later jobs too. */
  override?: RerunOverride;
  /** The client's Hugging Face token, for jobs that download weights at run time (never stored). */
  hfToken?: string;
}

/** What a rerun with these options would resubmit; nothing is submitted or changed. */
export function planRerun(paths: RunPaths, opts: RerunOptions = {}): Promise<RerunPlan> {
  return withRunOperation(paths, () => planRerunLocked(paths, opts));
}

/**
 * Resubmits, per model, a job for its unfinished tasks. Nothing restarts: the job skips every sample already in
 * predictions.jsonl. Earlier outcomes of those tasks are moved into attempts/, not deleted. An override is written
 * into run.json before the job is submitted (the job reads it when it starts) and logged as an event.
 */
export function rerunRun(paths: RunPaths, opts: RerunOptions = {}): Promise<Array<{ model: string; jobId: string }>> {
  return withRunOperation(paths, () => rerunLocked(paths, opts));
}

async function rerunLocked(paths: RunPaths, opts: RerunOptions): Promise<Array<{ model: string; jobId: string }>> {
  const plan = await planRerunLocked(paths, opts);
  if (plan.jobs.length === 0 && plan.skipped.length)
    throw new RerunError(
      `nothing rerun: still active: ${plan.skipped.map((s) => `${s.model} (${s.reason})`).join(', ')}`,
    );
  const scheduler = schedulerFor(readRun(paths).request.cluster.kind);
  const submitted: Array<{ model: string; jobId: string }> = [];
  for (const job of plan.jobs) {
    const datasets = job.tasks.map((t) => t.dataset);
    let run = readRun(paths);
    if (opts.override) {
      const override = opts.override;
      run = updateRun(paths, (r) => {
        r.modelSettings = { ...r.modelSettings, [job.model]: mergeOverride(r.modelSettings?.[job.model], override) };
      });
      appendEvent(paths, {
        type: 'log',
        level: 'info',
        model: job.model,
        message: `rerun of ${job.model} with ${describeOverride(override)} (${datasets.join(', ')}; samples already generated are kept)`,
      });
    }
    for (const d of datasets) archiveTaskOutcome(paths, job.model, d);
    const r = await submitModelJob(
      paths,
      runForModel(run, job.model),
      job.model,
      datasets,
      scheduler,
      opts.override,
      opts.hfToken,
    );
    if (r.ok) submitted.push({ model: job.model, jobId: r.attempt.jobId });
    else throw new RerunError(r.reason);
  }
  if (submitted.length) {
    updateRun(paths, (r) => {
      delete r.cancelledAt;
    });
  }
  return submitted;
}
