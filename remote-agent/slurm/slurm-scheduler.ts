import { isJobEnded } from '../../common/run/job-state';
import type { RunPaths } from '../store/layout';
import type { JobAttempt } from '../store/run-record';
import { describeFailure, run } from './exec';
import { parseSacct, parseSbatchParsable, parseScontrolShowJob, parseSqueue, type SchedulerJobState } from './parse';
import type { JobScheduler } from './scheduler';

export class SubmitError extends Error {}

/**
 * SLURM through its commands. States: squeue (live and recently ended jobs), then sacct for ended or unknown jobs
 * (exit codes; absent when the cluster has no accounting), then scontrol for what is still missing.
 */
export class SlurmScheduler implements JobScheduler {
  readonly kind = 'slurm' as const;

  async submit(paths: RunPaths, _model: string, scriptPath: string): Promise<{ jobId: string }> {
    const r = await run('sbatch', ['--parsable', scriptPath], { cwd: paths.dir });
    if (r.code !== 0) throw new SubmitError(describeFailure('sbatch', r));
    return { jobId: parseSbatchParsable(r.stdout) };
  }

  async states(_paths: RunPaths, jobs: JobAttempt[]): Promise<Map<string, SchedulerJobState>> {
    const ids = [...new Set(jobs.map((j) => j.jobId).filter((id) => /^\d+$/.test(id)))];
    const found = new Map<string, SchedulerJobState>();
    if (ids.length === 0) return found;
    const squeue = await run('squeue', ['-h', '-t', 'all', '-j', ids.join(','), '-o', '%i|%T|%N|%r']);
    // squeue exits 1 when every id is unknown to it ("Invalid job id specified"): that is an empty answer.
    if (squeue.code === 0) for (const [id, s] of parseSqueue(squeue.stdout)) if (ids.includes(id)) found.set(id, s);
    const needDetail = ids.filter((id) => !found.has(id) || isJobEnded(found.get(id)!.state));
    if (needDetail.length === 0) return found;
    const sacct = await run('sacct', ['-P', '-n', '-o', 'JobID,State,ExitCode,NodeList', '-j', needDetail.join(',')]);
    if (sacct.code === 0) {
      for (const [id, s] of parseSacct(sacct.stdout)) {
        if (!needDetail.includes(id)) continue;
        const live = found.get(id);
        // squeue's end state is fresher while the accounting database catches up; sacct adds the exit code, but only
        // once it has recorded the end too (before that it still says RUNNING with ExitCode 0:0): else scontrol.
        if (!isJobEnded(s.state)) {
          if (!live) found.set(id, { ...s, exitCode: undefined });
          continue;
        }
        found.set(id, live ? { ...live, exitCode: s.exitCode ?? live.exitCode, node: live.node ?? s.node } : s);
      }
    }
    for (const id of needDetail.filter((i) => !found.get(i)?.exitCode)) {
      const show = await run('scontrol', ['show', 'job', id]);
      if (show.code !== 0) continue;
      const s = parseScontrolShowJob(show.stdout).get(id);
      if (s) found.set(id, { ...s, node: found.get(id)?.node ?? s.node });
    }
    return found;
  }

  async cancel(paths: RunPaths, jobs: JobAttempt[]): Promise<string[]> {
    const states = await this.states(paths, jobs);
    const live = jobs
      .map((j) => j.jobId)
      .filter((id) => {
        const s = states.get(id);
        return s === undefined || !isJobEnded(s.state);
      });
    if (live.length === 0) return [];
    const r = await run(
      'scancel',
      live.filter((id) => /^\d+$/.test(id)),
    );
    // A job that ended between the query and scancel is not an error.
    const harmless = (l: string) => /Invalid job id|already completing or completed|Job has already finished/i.test(l);
    if (r.code !== 0 && (r.spawnError || !r.stderr.split('\n').filter(Boolean).every(harmless)))
      throw new Error(describeFailure('scancel', r));
    return live;
  }
}
