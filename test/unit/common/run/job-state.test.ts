import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isJobEnded,
  isJobQueued,
  jobStateCategory,
  SLURM_JOB_STATES,
  unfinishedTaskOutcome,
} from '../../../../common/run/job-state';
import { JobStateSchema } from '../../../../common/run/records';

describe('job-state vocabulary', () => {
  it('puts every state SLURM documents in a category of its own', () => {
    const documented = [
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
    ];
    for (const s of documented) {
      assert.ok((SLURM_JOB_STATES as readonly string[]).includes(s), s);
      assert.notEqual(jobStateCategory(s), 'unknown', s);
    }
  });

  it('ends a job at every end state, and at none where it may still run', () => {
    for (const s of [
      'COMPLETED',
      'CANCELLED',
      'FAILED',
      'TIMEOUT',
      'OUT_OF_MEMORY',
      'NODE_FAIL',
      'BOOT_FAIL',
      'DEADLINE',
      'PREEMPTED',
      'REVOKED',
    ])
      assert.ok(isJobEnded(s), s);
    for (const s of [
      'PENDING',
      'RUNNING',
      'CONFIGURING',
      'COMPLETING',
      'SUSPENDED',
      'STOPPED',
      'REQUEUED',
      'REQUEUE_HOLD',
      'RESIZING',
      'SIGNALING',
      'STAGE_OUT',
      'SPECIAL_EXIT',
    ])
      assert.ok(!isJobEnded(s), s);
    assert.ok(
      isJobQueued('PENDING') && isJobQueued('REQUEUE_HOLD') && !isJobQueued('RUNNING') && !isJobQueued('COMPLETED'),
    );
  });

  it('reads states as SLURM prints them: lower case, with "by <uid>", cut short by sacct', () => {
    assert.equal(jobStateCategory('CANCELLED by 1000'), 'cancelled');
    assert.equal(jobStateCategory('completed'), 'completed');
    assert.equal(jobStateCategory('OUT_OF_ME+'), 'failed');
    assert.equal(jobStateCategory('RE+'), 'unknown', 'a prefix that several states share names none of them');
  });

  it("a job that ended without the task's result fails the task, whatever its end state; a cancelled job cancels it", () => {
    assert.equal(unfinishedTaskOutcome('COMPLETED'), 'failed');
    assert.equal(unfinishedTaskOutcome('PREEMPTED'), 'failed');
    assert.equal(unfinishedTaskOutcome('CANCELLED by 0'), 'cancelled');
    assert.equal(unfinishedTaskOutcome('RUNNING'), undefined);
  });

  it('keeps a state from a newer SLURM as written, in the unknown category, where the job may still run', () => {
    const parsed = JobStateSchema.parse({ model: 'm', jobId: '1', state: 'EXPEDITING' });
    assert.equal(parsed.state, 'EXPEDITING');
    assert.equal(jobStateCategory(parsed.state), 'unknown');
    assert.ok(!isJobEnded('EXPEDITING') && !isJobQueued('EXPEDITING'));
    assert.equal(unfinishedTaskOutcome('EXPEDITING'), undefined);
    assert.equal(jobStateCategory('UNKNOWN'), 'unknown');
  });
});
