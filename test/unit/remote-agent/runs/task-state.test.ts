import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskResult } from '../../../../common/run/records';
import { deriveRunState, deriveTaskState, type TaskFacts } from '../../../../remote-agent/runs/task-state';
import { buildTaskResult, mostlyErrored } from '../../../../remote-agent/work/task-result';

const result: TaskResult = {
  model: 'm',
  dataset: 'd',
  n: 10,
  passed: 7,
  failed: 3,
  errors: 0,
  metric: 'accuracy',
  value: 0.7,
  stderr: 0.15,
  reasons: {},
  scorer: 'exact_match',
  startedAt: 't0',
  endedAt: 't1',
};

function facts(extra: Partial<TaskFacts>): TaskFacts {
  return { model: 'm', dataset: 'd', total: 10, done: 4, passedSoFar: 3, ...extra };
}

describe('task state from files and scheduler', () => {
  it('a result without failure is passed, whatever the job says', () => {
    const s = deriveTaskState(
      facts({ result, done: 10, job: { jobId: '1', state: { jobId: '1', state: 'FAILED', exitCode: '1:0' } } }),
    );
    assert.equal(s.state, 'done');
    assert.equal(s.value, 0.7);
    assert.equal(s.passRate, 0.7);
  });

  it('a job that ended COMPLETED while the task has no result is a failed task', () => {
    const s = deriveTaskState(
      facts({ job: { jobId: '42', state: { jobId: '42', state: 'COMPLETED', exitCode: '0:0' } } }),
    );
    assert.equal(s.state, 'failed');
    assert.equal(s.reason, 'job 42 ended COMPLETED but task has no result');
  });

  it('a result whose samples mostly errored is failed with its reason', () => {
    const s = deriveTaskState(
      facts({ result: { ...result, failure: '9 of 10 samples errored; most often (9×): HTTP 500' } }),
    );
    assert.equal(s.state, 'failed');
    assert.match(s.reason!, /9 of 10 samples errored/);
  });

  it('an engine failure recorded by the job is the reason, even while the job is still ending', () => {
    const s = deriveTaskState(
      facts({
        done: 0,
        failure: 'engine failed to start (exited with code 1): torch.OutOfMemoryError: CUDA out of memory',
        job: { jobId: '5', state: { jobId: '5', state: 'RUNNING' } },
      }),
    );
    assert.equal(s.state, 'failed');
    assert.match(s.reason!, /OutOfMemoryError/);
  });

  it('a state from a newer SLURM is one in which the job may still run: the task is not failed on it', () => {
    const s = deriveTaskState(facts({ job: { jobId: '7', state: { jobId: '7', state: 'EXPEDITING' } } }));
    assert.equal(s.state, 'running');
    assert.equal(deriveRunState([s], ['EXPEDITING'], false), 'running');
  });

  it('queued, running, cancelled and failed jobs', () => {
    assert.equal(
      deriveTaskState(facts({ job: { jobId: '1', state: { jobId: '1', state: 'PENDING' } } })).state,
      'queued',
    );
    assert.equal(
      deriveTaskState(facts({ job: { jobId: '1', state: { jobId: '1', state: 'RUNNING' } } })).state,
      'running',
    );
    // A job works through its datasets in order: those behind the current one wait.
    assert.equal(
      deriveTaskState(facts({ current: false, done: 0, job: { jobId: '1', state: { jobId: '1', state: 'RUNNING' } } }))
        .state,
      'queued',
    );
    assert.equal(
      deriveTaskState(facts({ current: false, done: 3, job: { jobId: '1', state: { jobId: '1', state: 'RUNNING' } } }))
        .state,
      'running',
    );
    assert.equal(
      deriveTaskState(facts({ job: { jobId: '1', state: { jobId: '1', state: 'CANCELLED', exitCode: '0:15' } } }))
        .state,
      'cancelled',
    );
    const failed = deriveTaskState(
      facts({
        job: { jobId: '1', state: { jobId: '1', state: 'FAILED', exitCode: '3:0', reason: 'NonZeroExitCode' } },
        logHint: 'node: command not found',
      }),
    );
    assert.equal(failed.state, 'failed');
    assert.equal(failed.reason, 'job 1 ended FAILED with exit code 3:0; log ends: node: command not found');
    const oom = deriveTaskState(
      facts({ job: { jobId: '2', state: { jobId: '2', state: 'OUT_OF_MEMORY', exitCode: '0:125' } } }),
    );
    assert.equal(oom.reason, 'job 2 ended OUT_OF_MEMORY with exit code 0:125');
  });

  it('a job the scheduler no longer knows, with no result, is failed; no job at all is pending', () => {
    assert.match(deriveTaskState(facts({ job: { jobId: '9' } })).reason!, /job 9 is no longer known to the scheduler/);
    assert.equal(deriveTaskState(facts({})).state, 'pending');
  });

  it('keeps the counts and the pass rate so far', () => {
    const s = deriveTaskState(facts({ job: { jobId: '1', state: { jobId: '1', state: 'RUNNING' } } }));
    assert.equal(s.done, 4);
    assert.equal(s.total, 10);
    assert.equal(s.passRate, 0.75);
  });
});

describe('run state', () => {
  const t = (state: 'done' | 'failed' | 'running' | 'queued' | 'cancelled' | 'pending') => ({
    model: 'm',
    dataset: state,
    state,
    done: 0,
    total: 1,
  });
  it('is running while a job runs, even when its tasks already failed', () => {
    assert.equal(deriveRunState([t('failed')], ['RUNNING'], false), 'running');
    assert.equal(deriveRunState([t('done'), t('queued')], ['COMPLETED', 'PENDING'], false), 'queued');
  });
  it('is done only when every task passed, failed when one failed, cancelled when cancelled', () => {
    assert.equal(deriveRunState([t('done'), t('done')], ['COMPLETED'], false), 'done');
    assert.equal(deriveRunState([t('done'), t('failed')], ['COMPLETED'], false), 'failed');
    assert.equal(deriveRunState([t('done'), t('cancelled')], ['CANCELLED'], true), 'cancelled');
  });
});

describe('task result', () => {
  const p = (id: string, verdict: 'pass' | 'fail' | 'error', reason: string) => ({
    id,
    index: Number(id),
    prompt: 'q',
    output: 'a',
    finishReason: 'stop',
    promptTokens: 1,
    completionTokens: 1,
    latencyMs: 1,
    verdict,
    reason,
    time: 't',
  });
  it('fails a task whose samples mostly errored, naming the commonest error', () => {
    const r = buildTaskResult({
      model: 'm',
      dataset: 'd',
      scorer: 'exact_match',
      startedAt: 'a',
      endedAt: 'b',
      predictions: [
        p('0', 'error', 'HTTP 500'),
        p('1', 'error', 'HTTP 500'),
        p('2', 'error', 'timeout'),
        p('3', 'pass', 'ok'),
      ],
    });
    assert.equal(r.n, 4);
    assert.equal(r.errors, 3);
    assert.equal(r.failure, '3 of 4 samples errored; most often (2×): HTTP 500');
  });
  it('counts errors by class: specific reasons of one class add up, one of them shown as the example', () => {
    const r = buildTaskResult({
      model: 'm',
      dataset: 'd',
      scorer: 'exact_match',
      startedAt: 'a',
      endedAt: 'b',
      predictions: [
        p('0', 'error', 'the server answered 502 with a body that is not JSON: a'),
        p('1', 'error', 'the server answered 503 with a body that is not JSON: b'),
        p('2', 'error', 'connect ECONNREFUSED 127.0.0.1:1'),
        p('3', 'fail', 'wrong answer 1 != 2'),
      ],
    });
    assert.equal(
      r.failure,
      '3 of 4 samples errored; most often (2×): the server answered, e.g. the server answered 502 with a body that is not JSON: a',
    );
    assert.deepEqual(r.reasons, { 'the server answered': 2, 'connect ECONNREFUSED': 1, 'wrong answer': 1 });
  });
  it('does not fail a task with a minority of errors', () => {
    const r = buildTaskResult({
      model: 'm',
      dataset: 'd',
      scorer: 'exact_match',
      startedAt: 'a',
      endedAt: 'b',
      predictions: [p('0', 'error', 'HTTP 500'), p('1', 'pass', 'ok'), p('2', 'fail', 'wrong')],
    });
    assert.equal(r.failure, undefined);
    assert.equal(r.passed, 1);
    assert.ok(!mostlyErrored(1, 2) && mostlyErrored(2, 3));
  });
});
