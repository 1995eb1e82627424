import { formatAge, formatProgress, formatRate } from '../../common/report/format';
import { formatScore } from '../../common/report/matrix';
import { jobReason } from '../../common/run/job-reason';
import { jobStateCategory, unfinishedTaskOutcome } from '../../common/run/job-state';
import type { JobState, RunStatus, RunSummary, TaskState } from '../../common/run/records';

/** A tree item without VS Code: the provider turns it into a TreeItem (icon ids are codicons, colours theme colours). */
export interface ItemView {
  label: string;
  description: string;
  tooltip: string;
  icon: { id: string; color?: string };
  contextValue: string;
}

const RED = 'testing.iconFailed';
const GREEN = 'testing.iconPassed';
const YELLOW = 'list.warningForeground';

export interface ClusterNote {
  clusterId: string;
  text: string;
  /** Listing failed (as opposed to: not connected yet). */
  error: boolean;
}

/**
 * The notes still true now: "not connected" goes as soon as the profile is connected (a launch or Connect to
 * Cluster opened it), whatever the last listing said. Pure.
 */
export function currentNotes(
  notes: readonly ClusterNote[],
  isConnected: (clusterId: string) => boolean,
): ClusterNote[] {
  return notes.filter((n) => n.error || !isConnected(n.clusterId));
}

/** Newest first. */
export function sortRuns<T extends Pick<RunSummary, 'createdAt' | 'runId'>>(runs: T[]): T[] {
  return [...runs].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.runId.localeCompare(a.runId));
}

export function runView(run: RunSummary, now: number): ItemView {
  const icon =
    run.state === 'running'
      ? { id: 'sync~spin' }
      : run.state === 'queued'
        ? { id: 'clock' }
        : run.state === 'cancelled'
          ? { id: 'circle-slash' }
          : run.state === 'failed'
            ? { id: 'error', color: RED }
            : run.tasks.failed > 0
              ? { id: 'warning', color: YELLOW }
              : { id: 'pass', color: GREEN };
  const counts = `${run.tasks.done}/${run.tasks.total} done${run.tasks.failed ? `, ${run.tasks.failed} failed` : ''}${run.tasks.running ? `, ${run.tasks.running} running` : ''}`;
  return {
    label: run.name ?? run.runId,
    description: [run.category, run.target, formatAge(run.createdAt, now)].filter(Boolean).join(' · '),
    tooltip: [
      `${run.name ?? run.runId} (${run.runId})`,
      `state: ${run.state}`,
      `tasks: ${counts}`,
      run.category ? `category: ${run.category}` : '',
      `cluster: ${run.clusterId} (${run.target})`,
      `created: ${run.createdAt}`,
    ]
      .filter(Boolean)
      .join('\n'),
    icon,
    contextValue: `evalbench.run.${run.state}${run.tasks.failed > 0 ? '.failures' : ''}`,
  };
}

export function jobView(job: JobState, tasks: TaskState[]): ItemView {
  const state = job.state.toUpperCase();
  const failed = tasks.filter((t) => effectiveTaskState(t, job).state === 'failed').length;
  const category = jobStateCategory(state);
  const icon = state.startsWith('RUNNING')
    ? { id: 'sync~spin' }
    : state.startsWith('PENDING') || state === 'CONFIGURING'
      ? { id: 'clock' }
      : category === 'completed'
        ? failed
          ? { id: 'warning', color: YELLOW }
          : { id: 'check', color: GREEN }
        : category === 'cancelled'
          ? { id: 'circle-slash' }
          : category === 'failed'
            ? { id: 'error', color: RED }
            : { id: 'circle-outline' };
  const reason = jobReason(job);
  const parts = [
    job.jobId ? `job ${job.jobId}` : 'not submitted',
    job.state,
    job.exitCode && job.exitCode !== '0:0' ? `exit ${job.exitCode}` : '',
    job.node ?? '',
    reason ?? '',
  ];
  return {
    label: job.model,
    description: parts.filter(Boolean).join(' · '),
    tooltip: [
      `${job.model}: ${job.state}`,
      job.jobId ? `job id ${job.jobId}` : '',
      job.node ? `node ${job.node}` : '',
      job.exitCode ? `exit code ${job.exitCode}` : '',
      reason ? `reason: ${reason}` : '',
      failed ? `${failed} failed task${failed > 1 ? 's' : ''}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon,
    contextValue: `evalbench.job.${state.replace(/[^A-Z_].*$/, '').toLowerCase() || 'unknown'}`,
  };
}

/**
 * A task as it truly stands: one whose job has ended without the task finishing (no result) failed, whatever
 * the job's exit state says — a COMPLETED job with a task missing is a failure, not a success.
 */
export function effectiveTaskState(task: TaskState, job: JobState | undefined): TaskState {
  if (!job || task.state === 'done' || task.state === 'failed' || task.state === 'cancelled') return task;
  const outcome = unfinishedTaskOutcome(job.state);
  if (!outcome) return task;
  if (outcome === 'cancelled') return { ...task, state: 'cancelled' };
  return {
    ...task,
    state: 'failed',
    reason:
      task.reason ??
      `the job ended ${job.state}${job.exitCode ? ` (exit ${job.exitCode})` : ''} without a result for this task`,
  };
}

export function taskView(raw: TaskState, job: JobState | undefined): ItemView {
  const task = effectiveTaskState(raw, job);
  let description: string;
  let icon: ItemView['icon'];
  switch (task.state) {
    case 'running':
      description = `${formatProgress(task.done, task.total)}${task.tokensPerS !== undefined ? ` · ${formatRate(task.tokensPerS)}` : ''}`;
      icon = { id: 'sync~spin' };
      break;
    case 'done':
      // What happened (it ran to the end) is the state; how well it did is the score, shown beside it, uncoloured.
      description =
        task.value !== undefined
          ? `done · ${formatScore(task.value, task.stderr, task.metric)}${task.metric ? ` ${task.metric}` : ''}`
          : 'done';
      icon = { id: 'check' };
      break;
    case 'failed':
      description = task.reason ?? 'failed';
      icon = { id: 'error', color: RED };
      break;
    case 'cancelled':
      description = 'cancelled';
      icon = { id: 'circle-slash' };
      break;
    case 'queued':
      description = 'queued';
      icon = { id: 'clock' };
      break;
    default:
      description = 'pending';
      icon = { id: 'circle-outline' };
  }
  return {
    label: task.dataset,
    description,
    tooltip: [
      `${task.model} on ${task.dataset}: ${task.state}`,
      `samples ${formatProgress(task.done, task.total)}`,
      task.state === 'done' && task.value !== undefined
        ? `score: ${formatScore(task.value, task.stderr, task.metric)}${task.metric ? ` ${task.metric}` : ''}`
        : '',
      task.reason ? `reason: ${task.reason}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon,
    contextValue: `evalbench.task.${task.state}`,
  };
}

/** The tasks of a model's job, in plan order. */
export function tasksOf(status: RunStatus, model: string): TaskState[] {
  const results = new Map(status.results.filter((r) => r.model === model).map((r) => [r.dataset, r]));
  return status.taskStates
    .filter((t) => t.model === model)
    .map((t) => {
      const r = results.get(t.dataset);
      return r && t.state === 'done' && t.value === undefined
        ? { ...t, value: r.value, stderr: r.stderr, metric: r.metric }
        : t;
    });
}
