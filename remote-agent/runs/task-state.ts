import { isJobEnded, isJobQueued, jobStateCategory, unfinishedTaskOutcome } from '../../common/run/job-state';
import type { RunSummary, TaskResult, TaskState } from '../../common/run/records';
import { type SchedulerJobState } from '../slurm/parse';

/** Everything known about one task: its files, and the scheduler's view of the model's latest job. */
export interface TaskFacts {
  model: string;
  dataset: string;
  total: number | null;
  /** Distinct samples in predictions.jsonl, and how many of them passed. */
  done: number;
  passedSoFar: number;
  result?: TaskResult;
  /** Root cause recorded by the job (engine start failure, submit failure, crash in the task). */
  failure?: string;
  /** The model's latest job, if one was submitted. */
  job?: { jobId: string; state?: SchedulerJobState };
  /** Last lines of the job's log, for a job that died without saying why. */
  logHint?: string;
  /** The job works through its datasets in order: false for those waiting behind the current one. */
  current?: boolean;
}

/**
 * A task's state from files and scheduler together. A result or a recorded root cause decides; else a job still
 * queued or running; else how the job ended: a job that ended COMPLETED while the task has no result is a failed
 * task, never a success.
 */
export function deriveTaskState(f: TaskFacts): TaskState {
  const base = { model: f.model, dataset: f.dataset, total: f.total, done: f.done };
  const passRate = f.done > 0 ? f.passedSoFar / f.done : undefined;
  if (f.result && f.result.failure === undefined && f.failure === undefined) {
    return {
      ...base,
      done: Math.max(f.done, f.result.n),
      state: 'done',
      value: f.result.value,
      stderr: f.result.stderr,
      metric: f.result.metric,
      passRate: f.result.n ? f.result.passed / f.result.n : 0,
      tokensPerS: f.result.throughput?.outputTokensPerS,
    };
  }
  // Outcomes of earlier attempts are moved aside when a task is rerun, so what remains is this attempt's word.
  if (f.result?.failure !== undefined)
    return {
      ...base,
      state: 'failed',
      reason: f.result.failure,
      value: f.result.value,
      metric: f.result.metric,
      passRate,
    };
  if (f.failure !== undefined) return { ...base, state: 'failed', reason: f.failure, passRate };
  const jobState = f.job?.state?.state;
  if (jobState !== undefined && !isJobEnded(jobState)) {
    const running = !isJobQueued(jobState) && (f.current !== false || f.done > 0);
    return { ...base, state: running ? 'running' : 'queued', passRate };
  }
  if (!f.job) return { ...base, state: 'pending' };
  const s = f.job.state;
  if (!s)
    return {
      ...base,
      state: 'failed',
      reason: `job ${f.job.jobId} is no longer known to the scheduler and the task has no result${hint(f.logHint)}`,
      passRate,
    };
  // The job has ended (an active one returned above) without this task's result.
  if (unfinishedTaskOutcome(s.state) === 'cancelled')
    return { ...base, state: 'cancelled', reason: `job ${f.job.jobId} was cancelled`, passRate };
  if (jobStateCategory(s.state) === 'completed')
    return {
      ...base,
      state: 'failed',
      reason: `job ${f.job.jobId} ended COMPLETED but task has no result${hint(f.logHint)}`,
      passRate,
    };
  const exit = s.exitCode ? ` with exit code ${s.exitCode}` : '';
  const why = s.reason && s.reason !== 'NonZeroExitCode' ? ` (${s.reason})` : '';
  return {
    ...base,
    state: 'failed',
    reason: `job ${f.job.jobId} ended ${s.state}${exit}${why}${hint(f.logHint)}`,
    passRate,
  };
}

function hint(logHint: string | undefined): string {
  return logHint ? `; log ends: ${logHint}` : '';
}

/**
 * The run's state from its tasks and jobs: running while any job runs (even when its tasks have failed: the job
 * is still using the GPUs), queued while jobs wait, else done only when every task passed.
 */
export function deriveRunState(tasks: TaskState[], jobStates: string[], cancelled: boolean): RunSummary['state'] {
  if (tasks.some((t) => t.state === 'running') || jobStates.some((s) => !isJobEnded(s) && !isJobQueued(s)))
    return 'running';
  if (tasks.some((t) => t.state === 'queued') || jobStates.some((s) => isJobQueued(s))) return 'queued';
  if (tasks.length > 0 && tasks.every((t) => t.state === 'done')) return 'done';
  if (tasks.some((t) => t.state === 'pending') && !cancelled) return 'queued';
  if (cancelled || (tasks.some((t) => t.state === 'cancelled') && !tasks.some((t) => t.state === 'failed')))
    return 'cancelled';
  return 'failed';
}

export function isRunFinished(state: RunSummary['state']): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}
