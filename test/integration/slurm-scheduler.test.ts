import { isJobEnded } from '../../common/run/job-state';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type SchedulerJobState } from '../../remote-agent/slurm/parse';
import { SlurmScheduler } from '../../remote-agent/slurm/slurm-scheduler';
import { RunPaths } from '../../remote-agent/store/layout';
import type { JobAttempt } from '../../remote-agent/store/run-record';
import { pollUntil, SKIP_WITHOUT_SLURM } from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const tempDir = tempDirsRemovedAfter();

function runDir(): RunPaths {
  const d = tempDir('sched');
  const paths = new RunPaths(d);
  fs.mkdirSync(paths.jobsDir);
  fs.mkdirSync(paths.logsDir);
  return paths;
}

function script(paths: RunPaths, name: string, body: string): string {
  const file = path.join(paths.jobsDir, name);
  fs.writeFileSync(
    file,
    `#!/bin/bash\n#SBATCH --output="${paths.logsDir}/${name}.%j.out"\n#SBATCH --mem=64M\n${body}\n`,
  );
  return file;
}

function attempt(jobId: string): JobAttempt {
  return { model: 'm', jobId, kind: 'slurm', attempt: 1, submittedAt: new Date().toISOString(), datasets: [] };
}

async function finalState(s: SlurmScheduler, paths: RunPaths, jobId: string): Promise<SchedulerJobState> {
  return pollUntil(
    async () => {
      const st = (await s.states(paths, [attempt(jobId)])).get(jobId);
      return st && isJobEnded(st.state) && st.exitCode ? st : undefined;
    },
    30_000,
    `job ${jobId} to end`,
  );
}

/** Runs `fn` with a PATH holding only SLURM's client commands minus sacct: a cluster without accounting. */
async function withoutSacct<T>(fn: () => Promise<T>): Promise<T> {
  const bin = tempDir('no-sacct');
  for (const cmd of ['sbatch', 'squeue', 'scontrol', 'scancel']) fs.symlinkSync(`/usr/bin/${cmd}`, path.join(bin, cmd));
  const saved = process.env.PATH;
  process.env.PATH = bin;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

describe('SLURM commands against the real scheduler', { skip: SKIP_WITHOUT_SLURM }, () => {
  const slurm = new SlurmScheduler();

  it("submits with sbatch --parsable and reads a failed job's exit code", async () => {
    const paths = runDir();
    const { jobId } = await slurm.submit(paths, 'm', script(paths, 'fail.sh', 'echo about to fail; exit 3'));
    assert.match(jobId, /^\d+$/);
    const st = await finalState(slurm, paths, jobId);
    assert.deepEqual([st.state, st.exitCode], ['FAILED', '3:0']);
    assert.match(fs.readFileSync(path.join(paths.logsDir, `fail.sh.${jobId}.out`), 'utf8'), /about to fail/);
  });

  it('falls back to squeue and scontrol when there is no sacct', async () => {
    const paths = runDir();
    await withoutSacct(async () => {
      const { jobId } = await slurm.submit(paths, 'm', script(paths, 'fail.sh', 'exit 5'));
      const st = await finalState(slurm, paths, jobId);
      assert.deepEqual([st.state, st.exitCode], ['FAILED', '5:0']);
    });
  });

  it('cancels a running job with scancel, which then reads CANCELLED; cancelling it again is harmless', async () => {
    const paths = runDir();
    const { jobId } = await slurm.submit(paths, 'm', script(paths, 'sleep.sh', 'sleep 120'));
    await pollUntil(
      async () => ((await slurm.states(paths, [attempt(jobId)])).get(jobId)?.state === 'RUNNING' ? true : undefined),
      30_000,
      'the job to run',
    );
    assert.deepEqual(await slurm.cancel(paths, [attempt(jobId)]), [jobId]);
    const st = await finalState(slurm, paths, jobId);
    assert.equal(st.state, 'CANCELLED');
    assert.deepEqual(await slurm.cancel(paths, [attempt(jobId)]), []);
  });

  it("refuses an impossible request with sbatch's own message", async () => {
    const paths = runDir();
    const file = path.join(paths.jobsDir, 'greedy.sh');
    fs.writeFileSync(file, '#!/bin/bash\n#SBATCH --gres=gpu:h100:64\ntrue\n');
    await assert.rejects(
      slurm.submit(paths, 'm', file),
      /sbatch exited 1: .*(Requested node configuration is not available|Invalid generic resource)/,
    );
  });

  it('says nothing of a job id it does not know', async () => {
    const states = await slurm.states(runDir(), [attempt('999999')]);
    assert.equal(states.size, 0);
  });
});
