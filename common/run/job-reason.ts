import type { JobState } from './records';

/**
 * SLURM's reason, where it means something: why a job waits (Priority, Resources) or how it ended. A running job
 * has none ("None"), and a reason left over from its pending days is not one.
 */
export function jobReason(job: JobState): string | undefined {
  if (!job.reason || job.reason === 'None' || job.state.toUpperCase().startsWith('RUNNING')) return undefined;
  return job.reason;
}
