import { isJobEnded } from '../../common/run/job-state';
import type { JobState, RunStatus, RunSummary, TaskResult, TaskState } from '../../common/run/records';
import { type SchedulerJobState } from '../slurm/parse';
import type { JobScheduler } from '../slurm/scheduler';
import { schedulerFor } from '../slurm/schedulers';
import { appendEvent } from '../store/events';
import type { RunPaths } from '../store/layout';
import { countPredictions } from '../store/predictions';
import { readRun, updateRun } from '../store/run-store';
import { latestAttempts, type JobAttempt, type RunRecord } from '../store/run-record';
import { readFailure, readResult } from '../store/task-files';
import { lastLogLines, tailFile } from './log-tail';
import { setupFailureOf } from '../slurm/render';
import { provenanceOf } from './provenance';
import { deriveRunState, deriveTaskState } from './task-state';

/**
 * The scheduler's word on the run's jobs. Jobs it reports ended are written into run.json (finalState) with a
 * `job_finished` event, once, under the run lock: later reads need not ask again (SLURM forgets ended jobs after
 * MinJobAge when there is no accounting), and watchers see the end in events.jsonl.
 */
export async function refreshJobStates(
  paths: RunPaths,
  run: RunRecord,
  scheduler: JobScheduler = schedulerFor(run.request.cluster.kind),
): Promise<{ run: RunRecord; states: Map<string, SchedulerJobState> }> {
  const open = run.jobs.filter((j) => j.finalState === undefined);
  if (open.length === 0) return { run, states: new Map() };
  const states = await scheduler.states(paths, open);
  const ended = open.filter((j) => {
    const s = states.get(j.jobId);
    return s !== undefined && isJobEnded(s.state);
  });
  if (ended.length === 0) return { run, states };
  const updated = updateRun(paths, (r) => {
    for (const job of r.jobs) {
      const s = states.get(job.jobId);
      if (job.finalState !== undefined || !s || !isJobEnded(s.state) || !ended.some((e) => e.jobId === job.jobId))
        continue;
      job.finalState = s.state;
      job.exitCode = s.exitCode;
      job.endedAt = new Date().toISOString();
      if (!job.node && s.node) job.node = s.node;
      appendEvent(paths, {
        type: 'job_finished',
        model: job.model,
        jobId: job.jobId,
        state: s.state,
        ...(s.exitCode ? { exitCode: s.exitCode } : {}),
      });
    }
  });
  return { run: updated, states };
}

function jobView(job: JobAttempt, live: SchedulerJobState | undefined): SchedulerJobState | undefined {
  if (job.finalState !== undefined)
    return { jobId: job.jobId, state: job.finalState, exitCode: job.exitCode, node: job.node };
  return live ? { ...live, node: live.node ?? job.node } : undefined;
}

export async function runStatus(paths: RunPaths, scheduler?: JobScheduler): Promise<RunStatus> {
  const refreshed = await refreshJobStates(paths, readRun(paths), scheduler);
  const run = refreshed.run;
  const latest = latestAttempts(run);
  const jobs: JobState[] = [];
  const views = new Map<string, SchedulerJobState | undefined>();
  for (const planJob of run.plan.jobs) {
    const attempt = latest.get(planJob.model);
    const view = attempt ? jobView(attempt, refreshed.states.get(attempt.jobId)) : undefined;
    views.set(planJob.model, view);
    jobs.push({
      model: planJob.model,
      jobId: attempt?.jobId ?? null,
      state: view?.state ?? (attempt ? 'UNKNOWN' : 'NOT_SUBMITTED'),
      exitCode: view?.exitCode,
      node: view?.node ?? attempt?.node,
      reason: view?.reason,
    });
  }
  const taskStates: TaskState[] = [];
  const results: TaskResult[] = [];
  const currentDataset = new Map<string, string>();
  for (const task of run.plan.tasks) {
    const result = readResult(paths, task.model, task.dataset);
    const failure = readFailure(paths, task.model, task.dataset)?.reason;
    if (result) results.push(result);
    if (!result && failure === undefined && !currentDataset.has(task.model))
      currentDataset.set(task.model, task.dataset);
    const counts = countPredictions(paths.predictions(task.model, task.dataset));
    const attempt = latest.get(task.model);
    const view = views.get(task.model);
    const ended = view !== undefined && isJobEnded(view.state);
    // A setup line that failed ended the job before the agent ran: the log's marked line is the task's root cause.
    const setupFailure =
      attempt && failure === undefined && !result && (ended || !view)
        ? setupFailureInLog(paths.log(task.model, attempt.jobId))
        : undefined;
    taskStates.push(
      deriveTaskState({
        model: task.model,
        dataset: task.dataset,
        total: task.samples,
        done: counts.done,
        passedSoFar: counts.passed,
        result,
        failure: failure ?? setupFailure,
        job: attempt ? { jobId: attempt.jobId, state: view } : undefined,
        logHint: attempt && (ended || !view) ? lastLogLines(paths.log(task.model, attempt.jobId)) : undefined,
        current: currentDataset.get(task.model) === task.dataset,
      }),
    );
  }
  return {
    ...summaryOf(
      run,
      taskStates,
      jobs.map((j) => j.state),
    ),
    jobs,
    taskStates,
    results,
    provenance: provenanceOf(run),
  };
}

function setupFailureInLog(file: string): string | undefined {
  const tail = tailFile(file, 16384);
  return tail ? setupFailureOf(tail.text) : undefined;
}

export function summaryOf(run: RunRecord, taskStates: TaskState[], jobStates: string[]): RunSummary {
  return {
    runId: run.runId,
    ...(run.request.name ? { name: run.request.name } : {}),
    ...((run.request.selection.category ?? run.request.categoryId)
      ? { category: run.request.selection.category ?? run.request.categoryId }
      : {}),
    clusterId: run.request.clusterId,
    target: run.request.cluster.kind,
    createdAt: run.createdAt,
    state: deriveRunState(taskStates, jobStates, run.cancelledAt !== undefined),
    tasks: {
      total: taskStates.length,
      done: taskStates.filter((t) => t.state === 'done').length,
      failed: taskStates.filter((t) => t.state === 'failed' || t.state === 'cancelled').length,
      running: taskStates.filter((t) => t.state === 'running').length,
    },
    ...(run.request.engineOverride?.kind === 'reference' ? { reference: true } : {}),
  };
}
