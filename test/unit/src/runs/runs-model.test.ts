import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEvents, applyStatus, markResubmitted, newLiveRun } from '../../../../src/runs/live-run';
import {
  currentNotes,
  effectiveTaskState,
  jobView,
  runView,
  sortRuns,
  taskView,
  tasksOf,
} from '../../../../src/runs/runs-tree-model';
import { RunStatusSchema, type RunStatus } from '../../../../common/run/records';
import type { RunEvent } from '../../../../common/run/events';

const t0 = '2025-03-01T10:00:00.000Z';
function status(): RunStatus {
  return {
    runId: 'r1',
    name: 'smoke',
    category: 'general',
    clusterId: 'local',
    target: 'local',
    createdAt: t0,
    state: 'queued',
    tasks: { total: 2, done: 0, failed: 0, running: 0 },
    jobs: [{ model: 'm', jobId: '11', state: 'PENDING' }],
    taskStates: [
      { model: 'm', dataset: 'gsm8k', state: 'queued', done: 0, total: 50 },
      { model: 'm', dataset: 'mbpp', state: 'queued', done: 0, total: 20 },
    ],
    results: [],
  };
}

describe('live run', () => {
  it('follows a job from start through progress to a finished and a failed task', () => {
    const live = newLiveRun('local', status());
    const events: RunEvent[] = [
      { type: 'job_started', time: t0, model: 'm', node: 'n1' },
      { type: 'task_started', time: t0, model: 'm', dataset: 'gsm8k', total: 50, skipped: 10 },
      { type: 'progress', time: t0, model: 'm', dataset: 'gsm8k', done: 30, total: 50, passed: 24, tokensPerS: 1500 },
    ];
    assert.deepEqual(applyEvents(live, events), { needsStatus: false });
    assert.equal(live.status.state, 'running');
    assert.equal(live.status.jobs[0]!.state, 'RUNNING');
    assert.deepEqual(live.status.tasks, { total: 2, done: 0, failed: 0, running: 1 });
    const gsm = live.status.taskStates[0]!;
    assert.equal(gsm.done, 30);
    assert.equal(gsm.tokensPerS, 1500);
    assert.equal(gsm.passRate, 0.8);
    const r = applyEvents(live, [
      { type: 'task_finished', time: t0, model: 'm', dataset: 'gsm8k', value: 0.8, stderr: 0.05, metric: 'accuracy' },
      { type: 'task_failed', time: t0, model: 'm', dataset: 'mbpp', reason: 'sandbox: python3 not found' },
    ]);
    assert.equal(r.needsStatus, true);
    assert.deepEqual(live.status.tasks, { total: 2, done: 1, failed: 1, running: 0 });
    assert.equal(live.status.taskStates[1]!.reason, 'sandbox: python3 not found');
  });

  it('keeps a late progress event from reviving a finished task', () => {
    const live = newLiveRun('local', status());
    applyEvents(live, [
      { type: 'task_finished', time: t0, model: 'm', dataset: 'gsm8k', value: 0.8, stderr: 0.05, metric: 'accuracy' },
      { type: 'progress', time: t0, model: 'm', dataset: 'gsm8k', done: 49, total: 50, passed: 40, tokensPerS: 10 },
    ]);
    assert.equal(live.status.taskStates[0]!.state, 'done');
  });

  it('tracks KV-cache use and throughput per engine, and drops an engine whose job ended', () => {
    const live = newLiveRun('local', status());
    applyEvents(live, [
      {
        type: 'metrics',
        time: '2025-03-01T10:00:01.000Z',
        model: 'm',
        kvCacheUsage: 0.42,
        running: 17,
        tokensPerS: 900,
      },
      { type: 'metrics', time: '2025-03-01T10:00:01.500Z', model: 'm2', kvCacheUsage: 63, tokensPerS: 100 },
      {
        type: 'metrics',
        time: '2025-03-01T10:00:03.000Z',
        model: 'm',
        kvCacheUsage: 0.5,
        running: 20,
        tokensPerS: 1000,
      },
    ]);
    assert.equal(live.engines.get('m')!.kvCacheUsage, 0.5);
    assert.equal(live.engines.get('m2')!.kvCacheUsage, 0.63, 'a percentage becomes a fraction');
    assert.deepEqual(
      live.throughput.map((p) => p.tokensPerS),
      [1000, 1100],
    );
    applyEvents(live, [{ type: 'job_finished', time: t0, model: 'm', state: 'COMPLETED', exitCode: '0:0' }]);
    assert.equal(live.engines.has('m'), false);
    assert.equal(live.status.jobs[0]!.state, 'COMPLETED');
  });

  it('takes the agent status as the truth', () => {
    const live = newLiveRun('local', status());
    applyEvents(live, [{ type: 'metrics', time: t0, model: 'm', tokensPerS: 5 }]);
    const s = status();
    s.state = 'done';
    s.jobs[0]!.state = 'COMPLETED';
    applyStatus(live, s);
    assert.equal(live.status.state, 'done');
    assert.equal(live.engines.size, 0);
  });
});

describe('runs tree model', () => {
  const now = Date.parse('2025-03-01T12:00:00.000Z');

  it('lists runs newest first', () => {
    const runs = sortRuns([
      { runId: 'a', createdAt: '2025-01-01T00:00:00Z' },
      { runId: 'b', createdAt: '2025-02-01T00:00:00Z' },
      { runId: 'c', createdAt: '2024-12-01T00:00:00Z' },
    ]);
    assert.deepEqual(
      runs.map((r) => r.runId),
      ['b', 'a', 'c'],
    );
  });

  it('shows a run with its name, category, target and age', () => {
    const v = runView({ ...status(), state: 'running', tasks: { total: 2, done: 1, failed: 1, running: 0 } }, now);
    assert.equal(v.label, 'smoke');
    assert.equal(v.description, 'general · local · 2 h ago');
    assert.equal(v.contextValue, 'evalbench.run.running.failures');
    assert.equal(v.icon.id, 'sync~spin');
  });

  it('shows a running task with samples done / total and tok/s', () => {
    const v = taskView(
      { model: 'm', dataset: 'gsm8k', state: 'running', done: 1234, total: 5000, tokensPerS: 1520 },
      { model: 'm', jobId: '1', state: 'RUNNING' },
    );
    assert.equal(v.description, '1,234 / 5,000 · 1.5k tok/s');
    assert.equal(v.icon.id, 'sync~spin');
  });

  it('names a finished task "done" with its score beside it, uncoloured, and a failed one red with its reason', () => {
    const done = taskView(
      {
        model: 'm',
        dataset: 'gsm8k',
        state: 'done',
        done: 50,
        total: 50,
        value: 0.8,
        stderr: 0.057,
        metric: 'accuracy',
      },
      undefined,
    );
    assert.equal(done.description, 'done · 80.0 ± 5.7 accuracy');
    assert.deepEqual(done.icon, { id: 'check' });
    assert.equal(done.contextValue, 'evalbench.task.done');
    const failed = taskView(
      {
        model: 'm',
        dataset: 'mbpp',
        state: 'failed',
        done: 0,
        total: 20,
        reason: 'engine failed: vllm: command not found',
      },
      undefined,
    );
    assert.equal(failed.description, 'engine failed: vllm: command not found');
    assert.deepEqual(failed.icon, { id: 'error', color: 'testing.iconFailed' });
    assert.equal(failed.contextValue, 'evalbench.task.failed');
  });

  it('never shows a task that scored 0.0% as passed: it is done, with its score, and not green', () => {
    const zero = taskView(
      { model: 'm', dataset: 'gsm8k', state: 'done', done: 5, total: 5, value: 0, stderr: 0, metric: 'accuracy' },
      { model: 'm', jobId: '3', state: 'COMPLETED' },
    );
    assert.equal(zero.description, 'done · 0.0 ± 0.0 accuracy');
    assert.doesNotMatch(`${zero.description} ${zero.tooltip}`, /pass/i);
    assert.notEqual(zero.icon.color, 'testing.iconPassed');
    assert.match(zero.tooltip, /score: 0\.0 ± 0\.0 accuracy/);
    const run = runView({ ...status(), state: 'failed', tasks: { total: 2, done: 1, failed: 1, running: 0 } }, now);
    assert.match(run.tooltip, /tasks: 1\/2 done, 1 failed/);
  });

  it('reads task states and counts written by agents that called "done" "passed"', () => {
    const old = {
      ...status(),
      tasks: { total: 1, passed: 1, failed: 0, running: 0 },
      taskStates: [{ model: 'm', dataset: 'gsm8k', state: 'passed', done: 5, total: 5 }],
    };
    const parsed = RunStatusSchema.parse(old);
    assert.equal(parsed.taskStates[0]!.state, 'done');
    assert.equal(parsed.tasks.done, 1);
    assert.throws(() => RunStatusSchema.parse({ ...old, taskStates: [{ ...old.taskStates[0], state: 'succeeded' }] }));
  });

  it('shows a task missing from a COMPLETED job as failed', () => {
    const job = { model: 'm', jobId: '9', state: 'COMPLETED', exitCode: '0:0' };
    const task = { model: 'm', dataset: 'mbpp', state: 'running' as const, done: 3, total: 20 };
    assert.equal(effectiveTaskState(task, job).state, 'failed');
    const v = taskView(task, job);
    assert.equal(v.icon.color, 'testing.iconFailed');
    assert.equal(v.description, 'the job ended COMPLETED (exit 0:0) without a result for this task');
    assert.deepEqual(jobView(job, [task]).icon, { id: 'warning', color: 'list.warningForeground' });
    assert.equal(effectiveTaskState(task, { ...job, state: 'RUNNING' }).state, 'running');
  });

  it('does not show a running job\'s old pending reason ("Priority")', () => {
    const live = newLiveRun('local', {
      ...status(),
      jobs: [{ model: 'm', jobId: '11', state: 'PENDING', reason: 'Priority' }],
    });
    assert.match(jobView(live.status.jobs[0]!, []).description, /Priority/, 'a pending job says why it waits');
    applyEvents(live, [{ type: 'job_started', time: t0, model: 'm', node: 'n1' }]);
    assert.equal(jobView(live.status.jobs[0]!, []).description, 'job 11 · RUNNING · n1');
    // The agent's status may still carry it (squeue's %r of a running job): not shown either.
    const v = jobView({ model: 'm', jobId: '11', state: 'RUNNING', node: 'n1', reason: 'Priority' }, []);
    assert.doesNotMatch(`${v.description}\n${v.tooltip}`, /Priority/);
  });

  it('describes a job by id, state and exit code', () => {
    const v = jobView({ model: 'm', jobId: '9', state: 'FAILED', exitCode: '1:0', node: 'n1' }, []);
    assert.equal(v.description, 'job 9 · FAILED · exit 1:0 · n1');
    assert.equal(v.contextValue, 'evalbench.job.failed');
    assert.equal(v.icon.color, 'testing.iconFailed');
  });

  it('fills a passed task score from its result', () => {
    const s = status();
    s.taskStates[0]!.state = 'done';
    s.results.push({
      model: 'm',
      dataset: 'gsm8k',
      n: 50,
      passed: 40,
      failed: 10,
      errors: 0,
      metric: 'accuracy',
      value: 0.8,
      stderr: 0.05,
      reasons: {},
      scorer: 'numeric',
      startedAt: t0,
      endedAt: t0,
    });
    assert.equal(tasksOf(s, 'm')[0]!.value, 0.8);
  });
});

describe('runs view notes', () => {
  const notes = [
    { clusterId: 'hpc', text: 'hpc: not connected — Refresh to list its runs', error: false },
    { clusterId: 'gpu2', text: 'gpu2: connection refused', error: true },
  ];
  it('drops "not connected" once the profile is connected (after a launch), keeps listing errors', () => {
    assert.deepEqual(
      currentNotes(notes, () => false).map((n) => n.clusterId),
      ['hpc', 'gpu2'],
    );
    assert.deepEqual(
      currentNotes(notes, (id) => id === 'hpc').map((n) => n.text),
      ['gpu2: connection refused'],
    );
  });
});

describe('rerun', () => {
  it('requeues the failed tasks of a resubmitted model at once: no "failed 0/5" with the old reason meanwhile', () => {
    const live = newLiveRun('local', {
      ...status(),
      state: 'failed',
      jobs: [{ model: 'm', jobId: '11', state: 'FAILED', exitCode: '1:0' }],
    });
    live.status.taskStates[0] = {
      model: 'm',
      dataset: 'gsm8k',
      state: 'failed',
      done: 0,
      total: 5,
      reason: 'engine failed: CUDA out of memory',
    };
    live.done = true;
    assert.deepEqual(markResubmitted(live, [{ model: 'm', jobId: '12' }]), ['m/gsm8k']);
    const t = live.status.taskStates[0]!;
    assert.equal(t.state, 'queued');
    assert.equal(t.reason, undefined);
    assert.doesNotMatch(taskView(t, live.status.jobs[0]).description, /failed|CUDA/);
    assert.deepEqual(live.status.jobs[0], { model: 'm', jobId: '12', state: 'PENDING' });
    assert.equal(live.status.state, 'queued');
    assert.equal(live.done, false);
  });
});
