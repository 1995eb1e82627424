import { z } from 'zod';

/**
 * Every job state SLURM prints (squeue `%T`, sacct `State`, scontrol `JobState`): the base states of
 * https://slurm.schedmd.com/job_state_codes.html and the state flags squeue and sacct show in their place.
 * `UNKNOWN` is ours: a state column that came back empty.
 */
export const SLURM_JOB_STATES = [
  // base states
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'OUT_OF_MEMORY',
  // flags shown instead of the base state
  'CONFIGURING',
  'COMPLETING',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESIZING',
  'RESV_DEL_HOLD',
  'REVOKED',
  'SIGNALING',
  'SPECIAL_EXIT',
  'STAGE_OUT',
  'STOPPED',
  'UNKNOWN',
] as const;
export type SlurmJobState = (typeof SLURM_JOB_STATES)[number];

/**
 * A job state as the scheduler named it. A state this version does not know (a newer SLURM) still parses: it is kept
 * as written and its category is `unknown`.
 */
export const JobStateName = z.union([z.enum(SLURM_JOB_STATES), z.string()]);

/**
 * What a state means for the tasks of the job: `queued` waits for an allocation; `active` holds one (running,
 * suspended, completing, being configured or resized); the job has ended `completed`, `cancelled` or `failed`;
 * `unknown` is a state this version does not know, taken as one in which the job may still run — SLURM adds flags
 * (shown while a job is active) far more often than end states, and a job that ends reaches a base state sacct
 * reports.
 */
export type JobStateCategory = 'queued' | 'active' | 'completed' | 'cancelled' | 'failed' | 'unknown';

const CATEGORY: Record<SlurmJobState, JobStateCategory> = {
  PENDING: 'queued',
  REQUEUED: 'queued',
  REQUEUE_HOLD: 'queued',
  RESV_DEL_HOLD: 'queued',
  RUNNING: 'active',
  CONFIGURING: 'active',
  COMPLETING: 'active',
  SUSPENDED: 'active',
  STOPPED: 'active',
  RESIZING: 'active',
  SIGNALING: 'active',
  STAGE_OUT: 'active',
  REQUEUE_FED: 'active',
  SPECIAL_EXIT: 'active',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
  TIMEOUT: 'failed',
  OUT_OF_MEMORY: 'failed',
  NODE_FAIL: 'failed',
  BOOT_FAIL: 'failed',
  DEADLINE: 'failed',
  PREEMPTED: 'failed',
  REVOKED: 'failed',
  UNKNOWN: 'unknown',
};

/** "CANCELLED by 0" → "CANCELLED", "completed" → "COMPLETED", "OUT_OF_ME+" → "OUT_OF_ME", "" → "UNKNOWN". */
export function normalizeJobState(raw: string): string {
  const word = raw.trim().split(/\s+/)[0] ?? '';
  return word.replace(/\+$/, '').toUpperCase() || 'UNKNOWN';
}

const KNOWN = new Map(Object.entries(CATEGORY));

/** The category of a state, raw or normalised; a name sacct cut short ("OUT_OF_ME+") counts when only one state begins so. */
export function jobStateCategory(state: string): JobStateCategory {
  const name = normalizeJobState(state);
  const known = KNOWN.get(name);
  if (known) return known;
  if (state.trim().split(/\s+/)[0]?.endsWith('+')) {
    const candidates = SLURM_JOB_STATES.filter((s) => s.startsWith(name));
    if (candidates.length === 1) return CATEGORY[candidates[0]!];
  }
  return 'unknown';
}

/** The job has reached an end state: it will not run (again) under this id. */
export function isJobEnded(state: string): boolean {
  const c = jobStateCategory(state);
  return c === 'completed' || c === 'cancelled' || c === 'failed';
}

/** The job waits for an allocation (it holds no GPU yet). */
export function isJobQueued(state: string): boolean {
  return jobStateCategory(state) === 'queued';
}

/**
 * What becomes of a task that has not finished when its job is in `state`: nothing while the job may still run;
 * once it has ended, the task can no longer finish — cancelled with a cancelled job, else failed (a job that ended
 * COMPLETED without the task's result included: that is never a success).
 */
export function unfinishedTaskOutcome(state: string): 'cancelled' | 'failed' | undefined {
  if (!isJobEnded(state)) return undefined;
  return jobStateCategory(state) === 'cancelled' ? 'cancelled' : 'failed';
}
