import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DashboardSnapshot } from '../../../../common/protocol/webview-dashboard';
import { liveEngines, progressRows, runTotals, sparkline } from '../../../../webview/dashboard/model';
import { concerns, eventText } from '../../../../src/panels/debugger/event-text';

function snapshot(): DashboardSnapshot {
  return {
    run: {
      runId: 'r',
      clusterId: 'c',
      target: 'local',
      createdAt: 't',
      state: 'running',
      tasks: { total: 4, done: 1, failed: 1, running: 1 },
      jobs: [
        { model: 'a', jobId: '1', state: 'RUNNING' },
        { model: 'b', jobId: '2', state: 'FAILED' },
      ],
      taskStates: [
        { model: 'a', dataset: 'd1', state: 'done', done: 10, total: 10 },
        { model: 'a', dataset: 'd2', state: 'running', done: 25, total: 100, tokensPerS: 900 },
        { model: 'b', dataset: 'd1', state: 'failed', done: 0, total: 10, reason: 'engine failed' },
        { model: 'a', dataset: 'd3', state: 'queued', done: 0, total: null },
      ],
      results: [
        {
          model: 'a',
          dataset: 'd1',
          n: 10,
          passed: 7,
          failed: 3,
          errors: 0,
          metric: 'accuracy',
          value: 0.7,
          stderr: 0.145,
          reasons: {},
          scorer: 'numeric',
          startedAt: 't',
          endedAt: 't',
        },
      ],
    },
    engines: [
      { model: 'a', kvCacheUsage: 0.4, running: 12, tokensPerS: 950, time: 't' },
      { model: 'b', tokensPerS: 0, time: 't' },
    ],
    throughput: [],
    link: { state: 'live' },
    updatedAt: 't',
  };
}

describe('dashboard model', () => {
  it('lists tasks failed first, then running, queued and passed, each with its progress and score', () => {
    const rows = progressRows(snapshot());
    assert.deepEqual(
      rows.map((r) => `${r.model}/${r.dataset}:${r.state}`),
      ['b/d1:failed', 'a/d2:running', 'a/d3:queued', 'a/d1:done'],
    );
    assert.equal(rows[0]!.reason, 'engine failed');
    assert.equal(rows[1]!.fraction, 0.25);
    assert.equal(rows[2]!.fraction, null, 'an unknown total has no fraction');
    assert.equal(rows[3]!.score, '70.0 ± 14.5');
    assert.equal(rows[0]!.score, undefined, 'a failed task shows no score');
  });

  it("keeps a finished task's throughput, from its result.json", () => {
    const s = snapshot();
    s.run.results[0]!.throughput = {
      outputTokensPerS: 1234,
      requestsPerS: 3,
      outputTokens: 5000,
      promptTokens: 900,
      wallS: 4,
    };
    const done = progressRows(s).find((r) => r.dataset === 'd1' && r.model === 'a')!;
    assert.equal(done.tokensPerS, 1234);
    s.run.taskStates[0]!.tokensPerS = 50; // the last progress tick before the end: the result's figure wins
    assert.equal(progressRows(s).find((r) => r.dataset === 'd1' && r.model === 'a')!.tokensPerS, 1234);
  });

  it('sums samples over the run, and throughput over the engines still running', () => {
    const s = snapshot();
    const t = runTotals(s);
    assert.equal(t.done, 35);
    assert.equal(t.total, null, 'one task of unknown size makes the total unknown');
    assert.equal(t.tokensPerS, 950);
    assert.deepEqual(
      liveEngines(s).map((e) => e.model),
      ['a'],
      'the engine of a failed job is not shown as running',
    );
  });

  it('does not show the engine of a job that ended PREEMPTED, BOOT_FAIL or DEADLINE as live', () => {
    for (const state of ['PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'CANCELLED by 1000']) {
      const s = snapshot();
      s.run.jobs[0]!.state = state;
      assert.deepEqual(
        liveEngines(s).map((e) => e.model),
        [],
        `${state}: the job has ended, its engine is gone`,
      );
    }
  });

  it('draws a throughput sparkline scaled to its box', () => {
    assert.equal(sparkline([0, 50, 100], 100, 10), '0.0,10.0 50.0,5.0 100.0,0.0');
    assert.equal(sparkline([], 100, 10), '');
  });
});

describe('debugger events', () => {
  it('says each event in one line and keeps only those about the model and its task', () => {
    assert.equal(
      eventText({ type: 'engine_failed', time: 't', model: 'm', reason: 'CUDA out of memory' }),
      'm: engine failed: CUDA out of memory',
    );
    assert.equal(
      eventText({ type: 'job_finished', time: 't', model: 'm', state: 'FAILED', exitCode: '1:0' }),
      'm: job ended FAILED (exit 1:0)',
    );
    assert.equal(
      concerns({ type: 'task_failed', time: 't', model: 'm', dataset: 'd2', reason: 'x' }, 'm', 'd1'),
      false,
    );
    assert.equal(concerns({ type: 'task_failed', time: 't', model: 'm', dataset: 'd1', reason: 'x' }, 'm', 'd1'), true);
    assert.equal(concerns({ type: 'engine_starting', time: 't', model: 'other', command: 'x' }, 'm'), false);
    assert.equal(
      concerns(
        { type: 'progress', time: 't', model: 'm', dataset: 'd1', done: 1, total: 2, passed: 1, tokensPerS: 1 },
        'm',
        'd1',
      ),
      false,
    );
  });
});
