import { isActiveState } from '../slurm/parse';
import { schedulerFor } from '../slurm/schedulers';
import type { RunPaths } from '../store/layout';
import { readRun, updateRun, withRunOperation } from '../store/run-store';
import { archiveTaskOutcome } from '../store/task-files';
import { runStatus } from './status';
import { submitModelJob } from './submit-job';

export interface RerunOptions {
  /** Only tasks that failed or were cancelled (default); else every task that has not passed. */
  failedOnly?: boolean;
  models?: string[];
  /** The client's Hugging Face token, for jobs that download weights at run time (never stored). */
  hfToken?: string;
}

export class RerunError extends Error {}

/**
 * Resubmits, per model, a job for its unfinished tasks. Nothing restarts: the job skips every sample already in
 * predictions.jsonl. Earlier outcomes of those tasks are moved into attempts/, not deleted.
 */
export function rerunRun(paths: RunPaths, opts: RerunOptions = {}): Promise<Array<{ model: string; jobId: string }>> {
  return withRunOperation(paths, () => rerunLocked(paths, opts));
}

async function rerunLocked(paths: RunPaths, opts: RerunOptions): Promise<Array<{ model: string; jobId: string }>> {
  const failedOnly = opts.failedOnly ?? true;
  const status = await runStatus(paths);
  const run = readRun(paths);
  for (const m of opts.models ?? []) if (!run.plan.jobs.some((j) => j.model === m)) throw new RerunError(`model "${m}" is not part of run ${run.runId}`);
  const wanted = run.plan.jobs.filter((j) => !opts.models?.length || opts.models.includes(j.model));
  const scheduler = schedulerFor(run.request.cluster.kind);
  const submitted: Array<{ model: string; jobId: string }> = [];
  const busy: string[] = [];
  for (const job of wanted) {
    const jobState = status.jobs.find((j) => j.model === job.model);
    if (jobState && isActiveState(jobState.state)) {
      busy.push(`${job.model} (job ${jobState.jobId} is ${jobState.state})`);
      continue;
    }
    const datasets = status.taskStates
      .filter((t) => t.model === job.model && (failedOnly ? t.state === 'failed' || t.state === 'cancelled' : t.state !== 'done'))
      .map((t) => t.dataset);
    if (datasets.length === 0) continue;
    for (const d of datasets) archiveTaskOutcome(paths, job.model, d);
    const r = await submitModelJob(paths, run, job.model, datasets, scheduler, opts.hfToken);
    if (r.ok) submitted.push({ model: job.model, jobId: r.attempt.jobId });
    else throw new RerunError(r.reason);
  }
  if (submitted.length === 0 && busy.length) throw new RerunError(`nothing rerun: still active: ${busy.join(', ')}`);
  if (submitted.length) {
    updateRun(paths, (r) => {
      delete r.cancelledAt;
    });
  }
  return submitted;
}
