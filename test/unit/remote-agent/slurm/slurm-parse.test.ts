import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJobEnded, normalizeJobState } from '../../../../common/run/job-state';
import {
  parseSacct,
  parseSbatchParsable,
  parseScontrolShowJob,
  parseSqueue,
} from '../../../../remote-agent/slurm/parse';

describe('sbatch --parsable', () => {
  it('reads the job id, with or without a cluster name, after warnings', () => {
    assert.equal(parseSbatchParsable('123\n'), '123');
    assert.equal(parseSbatchParsable('4567;cluster-a\n'), '4567');
    assert.equal(parseSbatchParsable("sbatch: warning: can't honor --ntasks-per-node\n89\n"), '89');
  });
  it('throws when there is no id', () => {
    assert.throws(() => parseSbatchParsable('sbatch: error: Batch job submission failed\n'), /no job id/);
  });
});

describe('squeue', () => {
  it('parses id|state|node|reason lines and ignores noise', () => {
    const m = parseSqueue(
      '12|RUNNING|gpu-01|None\n13|PENDING||Resources\nslurm_load_jobs error: x\n\n14|COMPLETED|gpu-02|None\n',
    );
    assert.deepEqual([...m.keys()], ['12', '13', '14']);
    assert.deepEqual(m.get('12'), { jobId: '12', state: 'RUNNING', node: 'gpu-01', reason: undefined });
    assert.equal(m.get('13')!.reason, 'Resources');
    assert.equal(m.get('13')!.node, undefined);
  });
});

describe('sacct', () => {
  it('keeps the allocation row, skips steps, normalizes states', () => {
    const text = [
      '7|FAILED|3:0|vm',
      '7.batch|FAILED|3:0|vm',
      '7.extern|COMPLETED|0:0|vm',
      '8|CANCELLED by 0|0:15|vm',
      '8.batch|CANCELLED|0:15|vm',
      '9|RUNNING|0:0|gpu[01-02]',
      '10|PENDING|0:0|None assigned',
      '',
    ].join('\n');
    const m = parseSacct(text);
    assert.deepEqual([...m.keys()], ['7', '8', '9', '10']);
    assert.deepEqual(m.get('7'), { jobId: '7', state: 'FAILED', exitCode: '3:0', node: 'vm' });
    assert.equal(m.get('8')!.state, 'CANCELLED');
    assert.equal(m.get('9')!.node, 'gpu[01-02]');
    assert.equal(m.get('10')!.node, undefined);
  });
  it('keeps the last row of a requeued job', () => {
    assert.equal(parseSacct('5|NODE_FAIL|0:0|a\n5|COMPLETED|0:0|b\n').get('5')!.state, 'COMPLETED');
  });
});

describe('scontrol show job', () => {
  it('reads state, exit code, node and reason', () => {
    const text = `JobId=3 JobName=job.sh\n   UserId=root(0) GroupId=root(0)\n   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)\n   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0\n   NodeList=vm\n   BatchHost=vm\n`;
    assert.deepEqual(parseScontrolShowJob(text).get('3'), {
      jobId: '3',
      state: 'FAILED',
      exitCode: '3:0',
      node: 'vm',
      reason: 'NonZeroExitCode',
    });
  });
  it('returns nothing for an error message', () => {
    assert.equal(parseScontrolShowJob('slurm_load_jobs error: Invalid job id specified\n').size, 0);
  });
});

describe('states', () => {
  it('normalizes and classifies', () => {
    assert.equal(normalizeJobState('CANCELLED by 1000'), 'CANCELLED');
    assert.equal(normalizeJobState('completed'), 'COMPLETED');
    assert.equal(normalizeJobState(''), 'UNKNOWN');
    assert.ok(!isJobEnded('PENDING') && !isJobEnded('RUNNING') && !isJobEnded('COMPLETING'));
    assert.ok(isJobEnded('COMPLETED') && isJobEnded('FAILED') && isJobEnded('TIMEOUT') && isJobEnded('OUT_OF_MEMORY'));
  });
});
