import type { EngineGauges, LinkState } from '../../common/protocol/webview-dashboard';
import type { RunEvent } from '../../common/run/events';
import { isJobEnded } from '../../common/run/job-state';
import type { JobState, RunStatus, TaskState } from '../../common/run/records';

const MAX_EVENTS = 2000;
const MAX_POINTS = 600;

/** What the extension knows of one run: the agent's last status, made live by the events since. */
export interface LiveRun {
  clusterId: string;
  status: RunStatus;
  engines: Map<string, EngineGauges>;
  throughput: { time: string; tokensPerS: number }[];
  /** The latest events, oldest first, bounded. */
  events: RunEvent[];
  /** Byte offset in events.jsonl after the last event applied. */
  offset: number;
  /** The agent said the run is over: no more events will come. */
  done: boolean;
  link: LinkState;
}

export function newLiveRun(clusterId: string, status: RunStatus): LiveRun {
  return {
    clusterId,
    status,
    engines: new Map(),
    throughput: [],
    events: [],
    offset: 0,
    done: false,
    link: { state: 'offline' },
  };
}

/** The agent's status is the truth: it replaces ours (engine gauges and the throughput series stay). */
export function applyStatus(live: LiveRun, status: RunStatus): void {
  live.status = status;
  for (const job of status.jobs) if (isJobEnded(job.state)) live.engines.delete(job.model);
}

/**
 * Pure apart from mutating `live`: folds events into the run. Says whether the agent should be asked for the
 * status again (a task or job ended: results and derived states live there).
 */
export function applyEvents(live: LiveRun, events: RunEvent[]): { needsStatus: boolean } {
  let needsStatus = false;
  const s = live.status;
  for (const e of events) {
    live.events.push(e);
    switch (e.type) {
      case 'job_submitted':
        upsertJob(s, e.model, { jobId: e.jobId, state: 'PENDING' });
        break;
      case 'job_started':
        // Its pending reason ("Priority", "Resources") no longer applies.
        upsertJob(s, e.model, { state: 'RUNNING', reason: undefined, ...(e.node ? { node: e.node } : {}) });
        break;
      case 'task_started': {
        const t = task(s, e.model, e.dataset);
        if (!isTerminal(t)) Object.assign(t, { state: 'running', total: e.total, done: Math.max(t.done, e.skipped) });
        break;
      }
      case 'progress': {
        const t = task(s, e.model, e.dataset);
        if (!isTerminal(t))
          Object.assign(t, {
            state: 'running',
            done: e.done,
            total: e.total,
            tokensPerS: e.tokensPerS,
            passRate: e.done ? e.passed / e.done : undefined,
          });
        break;
      }
      case 'task_finished':
        Object.assign(task(s, e.model, e.dataset), {
          state: 'done',
          value: e.value,
          stderr: e.stderr,
          metric: e.metric,
          reason: undefined,
        });
        needsStatus = true;
        break;
      case 'task_failed':
        Object.assign(task(s, e.model, e.dataset), { state: 'failed', reason: e.reason });
        needsStatus = true;
        break;
      case 'engine_failed':
        live.engines.delete(e.model);
        needsStatus = true;
        break;
      case 'job_finished':
        upsertJob(s, e.model, { state: e.state, ...(e.exitCode ? { exitCode: e.exitCode } : {}) });
        live.engines.delete(e.model);
        needsStatus = true;
        break;
      case 'run_cancelled':
        s.state = 'cancelled';
        needsStatus = true;
        break;
      case 'metrics':
        live.engines.set(e.model, {
          model: e.model,
          time: e.time,
          ...(e.kvCacheUsage !== undefined ? { kvCacheUsage: clampFraction(e.kvCacheUsage) } : {}),
          ...(e.running !== undefined ? { running: Math.max(0, e.running) } : {}),
          ...(e.tokensPerS !== undefined ? { tokensPerS: Math.max(0, e.tokensPerS) } : {}),
        });
        addPoint(live, e.time);
        break;
      default:
        break;
    }
  }
  if (live.events.length > MAX_EVENTS) live.events.splice(0, live.events.length - MAX_EVENTS);
  recount(s);
  return { needsStatus };
}

/**
 * A rerun was submitted: each resubmitted model's job is the new one, pending, and its failed or cancelled tasks
 * are queued again — their old reason no longer holds (the agent moved that outcome aside). Returns the tasks
 * requeued, as `model/dataset`.
 */
export function markResubmitted(live: LiveRun, jobs: ReadonlyArray<{ model: string; jobId: string }>): string[] {
  const s = live.status;
  const requeued: string[] = [];
  for (const j of jobs) {
    const job = s.jobs.find((x) => x.model === j.model);
    if (job) {
      job.jobId = j.jobId;
      job.state = 'PENDING';
      delete job.exitCode;
      delete job.reason;
      delete job.node;
    } else s.jobs.push({ model: j.model, jobId: j.jobId, state: 'PENDING' });
    live.engines.delete(j.model);
    for (const t of s.taskStates) {
      if (t.model !== j.model || (t.state !== 'failed' && t.state !== 'cancelled')) continue;
      t.state = 'queued';
      delete t.reason;
      delete t.value;
      delete t.stderr;
      requeued.push(`${t.model}/${t.dataset}`);
    }
  }
  if (jobs.length) {
    s.state = 'queued';
    live.done = false;
  }
  recount(s);
  return requeued;
}

function isTerminal(t: TaskState): boolean {
  return t.state === 'done' || t.state === 'failed' || t.state === 'cancelled';
}

function task(s: RunStatus, model: string, dataset: string): TaskState {
  let t = s.taskStates.find((x) => x.model === model && x.dataset === dataset);
  if (!t) {
    t = { model, dataset, state: 'queued', done: 0, total: null };
    s.taskStates.push(t);
  }
  return t;
}

function upsertJob(s: RunStatus, model: string, patch: Partial<JobState>): void {
  const job = s.jobs.find((j) => j.model === model);
  if (job) Object.assign(job, patch);
  else s.jobs.push({ model, jobId: null, state: 'PENDING', ...patch });
}

/** The run's task counts and state follow its tasks (the agent's status corrects anything else). */
function recount(s: RunStatus): void {
  const count = (state: TaskState['state']) => s.taskStates.filter((t) => t.state === state).length;
  s.tasks = {
    total: Math.max(s.tasks.total, s.taskStates.length),
    done: count('done'),
    failed: count('failed'),
    running: count('running'),
  };
  if (s.state === 'queued' && s.tasks.running > 0) s.state = 'running';
}

/** vLLM reports the KV-cache use as a fraction; tolerate a percentage. */
function clampFraction(x: number): number {
  const f = x > 1 ? x / 100 : x;
  return Math.min(1, Math.max(0, f));
}

/** One point per second at most: the generation throughput summed over the engines running now. */
function addPoint(live: LiveRun, time: string): void {
  let total = 0;
  for (const g of live.engines.values()) total += g.tokensPerS ?? 0;
  const last = live.throughput.at(-1);
  if (last && Math.abs(Date.parse(time) - Date.parse(last.time)) < 1000) last.tokensPerS = total;
  else live.throughput.push({ time, tokensPerS: total });
  if (live.throughput.length > MAX_POINTS) live.throughput.splice(0, live.throughput.length - MAX_POINTS);
}
