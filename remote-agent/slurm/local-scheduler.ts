import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { RunPaths } from '../store/layout';
import { idToSegment } from '../store/path-segment';
import type { JobAttempt } from '../store/run-record';
import type { SchedulerJobState } from './parse';
import type { JobScheduler } from './scheduler';

/**
 * Runs the job script with bash as a detached process group (no scheduler): its output goes to the same log file
 * a SLURM job would write, and the wrapper records the exit status, since the submitter is long gone by then.
 * `$$` of the wrapper is the pid spawn() returns, so the job id `local-<pid>` is known to both.
 */
const WRAPPER = [
  // A local run started from inside a SLURM job must not take that job's id for its own.
  'unset SLURM_JOB_ID SLURM_JOBID',
  'export EVALBENCH_JOB_ID="local-$$"',
  'exec >"$1.local-$$.out" 2>&1',
  'bash "$3"',
  'echo $? >"$2.local-$$.exit"',
].join('\n');

const GRACE_MS = 5_000;

export class LocalScheduler implements JobScheduler {
  readonly kind = 'local' as const;

  async submit(paths: RunPaths, model: string, scriptPath: string): Promise<{ jobId: string; pid: number }> {
    const seg = idToSegment(model);
    const child = spawn(
      'bash',
      ['-c', WRAPPER, 'evalbench-job', path.join(paths.logsDir, seg), path.join(paths.jobsDir, seg), scriptPath],
      {
        cwd: paths.dir,
        detached: true,
        stdio: 'ignore',
      },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => (child.pid ? resolve(child.pid) : reject(new Error('bash started without a pid'))));
    });
    child.unref();
    return { jobId: `local-${pid}`, pid };
  }

  async states(paths: RunPaths, jobs: JobAttempt[]): Promise<Map<string, SchedulerJobState>> {
    const out = new Map<string, SchedulerJobState>();
    for (const job of jobs) if (job.kind === 'local') out.set(job.jobId, localState(paths, job));
    return out;
  }

  async cancel(paths: RunPaths, jobs: JobAttempt[]): Promise<string[]> {
    const cancelled: string[] = [];
    for (const job of jobs) {
      if (job.kind !== 'local' || job.pid === undefined || localState(paths, job).state !== 'RUNNING') continue;
      fs.writeFileSync(paths.localCancelled(job.model, job.jobId), new Date().toISOString() + '\n');
      signalGroup(job.pid, 'SIGTERM');
      cancelled.push(job.jobId);
    }
    // Like scancel's KillWait: whatever ignores SIGTERM is killed after a grace period.
    const deadline = Date.now() + GRACE_MS;
    for (const job of jobs.filter((j) => cancelled.includes(j.jobId))) {
      while (groupAlive(job.pid!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (groupAlive(job.pid!)) signalGroup(job.pid!, 'SIGKILL');
      // The engine runs in a process group of its own: the job stops it on SIGTERM, unless it was killed first.
      if (job.enginePid !== undefined && groupAlive(job.enginePid)) {
        signalGroup(job.enginePid, 'SIGTERM');
        const engineDeadline = Date.now() + GRACE_MS;
        while (groupAlive(job.enginePid) && Date.now() < engineDeadline) await new Promise((r) => setTimeout(r, 50));
        if (groupAlive(job.enginePid)) signalGroup(job.enginePid, 'SIGKILL');
      }
    }
    return cancelled;
  }
}

function localState(paths: RunPaths, job: JobAttempt): SchedulerJobState {
  const base = { jobId: job.jobId, node: job.node };
  if (fs.existsSync(paths.localCancelled(job.model, job.jobId)))
    return { ...base, state: 'CANCELLED', exitCode: '0:15' };
  let exitText: string | undefined;
  try {
    exitText = fs.readFileSync(paths.localExit(job.model, job.jobId), 'utf8').trim();
  } catch {
    // Not ended yet (or killed before the wrapper could record it).
  }
  if (exitText !== undefined && /^\d+$/.test(exitText)) {
    const code = Number(exitText);
    // bash reports death by signal N as 128+N, as SLURM's ExitCode reports it as 0:N.
    if (code > 128) return { ...base, state: 'FAILED', exitCode: `0:${code - 128}` };
    return { ...base, state: code === 0 ? 'COMPLETED' : 'FAILED', exitCode: `${code}:0` };
  }
  if (job.pid !== undefined && groupAlive(job.pid)) return { ...base, state: 'RUNNING' };
  return { ...base, state: 'FAILED', reason: 'the job process ended without recording its exit status (killed?)' };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
