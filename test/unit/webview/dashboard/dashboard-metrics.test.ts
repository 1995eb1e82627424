import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DashboardSnapshot } from '../../../../common/protocol/webview-dashboard';
import type { TaskResult } from '../../../../common/run/records';
import {
  efficiencyRows,
  extraMetricsRows,
  formatMiB,
  formatMs,
  formatSeconds,
} from '../../../../webview/dashboard/metrics-model';

function result(over: Partial<TaskResult>): TaskResult {
  return {
    model: 'm',
    dataset: 'd',
    n: 10,
    passed: 7,
    failed: 3,
    errors: 0,
    metric: 'accuracy',
    value: 0.7,
    stderr: 0.1,
    reasons: {},
    scorer: 'numeric',
    startedAt: 't',
    endedAt: 't',
    ...over,
  };
}

function snapshot(results: TaskResult[]): DashboardSnapshot {
  return {
    run: {
      runId: 'r',
      clusterId: 'c',
      target: 'local',
      createdAt: 't',
      state: 'done',
      tasks: { total: results.length, done: results.length, failed: 0, running: 0 },
      jobs: [],
      taskStates: [],
      results,
    },
    engines: [],
    throughput: [],
    link: { state: 'ended' },
    updatedAt: 't',
  };
}

const stats = (p50Ms: number, p95Ms: number) => ({ meanMs: p50Ms, p50Ms, p95Ms, n: 20 });

describe('dashboard task metrics', () => {
  it("shows each streamed task's engine load, TTFT, inter-token latency, p50/p95 latency, output rate and GPU memory", () => {
    const rows = efficiencyRows(
      snapshot([
        result({
          model: 'a',
          efficiency: {
            engineLoadS: 125,
            concurrency: 8,
            timeToFirstToken: stats(85, 200),
            interTokenLatency: stats(4.25, 9),
            requestLatency: stats(1500, 3200),
            outputTokensPerS: 1234,
            peakGpuMemoryMiB: 39117,
          },
        }),
        result({ model: 'b' }),
      ]),
    );
    assert.equal(rows.length, 1, 'a task without efficiency has no row');
    assert.deepEqual(rows[0], {
      model: 'a',
      dataset: 'd',
      engineLoad: '2 min 5 s',
      timeToFirstToken: '85 ms',
      interTokenLatency: '4.3 ms',
      latency: '1.50 s / 3.20 s',
      outputRate: '1.2k tok/s',
      gpuMemory: '38.2 GiB',
      concurrency: 8,
    });
  });

  it('reads GPU memory "unavailable" with the reason, never zero, and "–" for what was not measured', () => {
    const [row] = efficiencyRows(
      snapshot([
        result({ efficiency: { concurrency: 1, outputTokensPerS: 40, gpuMemoryUnavailable: 'nvidia-smi not found' } }),
      ]),
    );
    assert.equal(row!.gpuMemory, 'unavailable');
    assert.equal(row!.gpuMemoryNote, 'nvidia-smi not found');
    assert.equal(row!.engineLoad, '–');
    assert.equal(row!.timeToFirstToken, '–');
    assert.equal(row!.latency, '–');
  });

  it('lists safety refusal rates, judge pass rates and ratings as the score matrix reads them, with n and the judge', () => {
    const rows = extraMetricsRows(
      snapshot([
        result({
          dataset: 'safety',
          extraMetrics: {
            'refusal rate (harmful)': { value: 0.875, stderr: 0.117, n: 8 },
            'over-refusal rate (benign)': { value: 0.1, stderr: 0.05, n: 40 },
          },
        }),
        result({
          dataset: 'mt',
          metric: 'rating',
          value: 7.2,
          judge: 'judge-model',
          extraMetrics: {
            'pass rate (rated ≥ 6)': { value: 0.6, stderr: 0.1, n: 20 },
            'rating, turn 2': { value: 6.5, stderr: 0.3, n: 10 },
          },
        }),
        result({ dataset: 'code', metric: 'pass@1', passAtK: { 'pass@1': 0.5, 'pass@5': 0.8 } }),
        result({ dataset: 'plain' }),
      ]),
    );
    assert.deepEqual(
      rows.map((r) => r.dataset),
      ['safety', 'mt', 'code'],
      'a task with only its main metric has no row',
    );
    assert.deepEqual(rows[0]!.metrics, [
      'refusal rate (harmful) 87.5 ± 11.7 (n 8)',
      'over-refusal rate (benign) 10.0 ± 5.0 (n 40)',
    ]);
    assert.deepEqual(rows[1]!.metrics, [
      'pass rate (rated ≥ 6) 60.0 ± 10.0 (n 20)',
      'rating, turn 2 6.50 ± 0.30 (n 10)',
      'judged by judge-model',
    ]);
    assert.deepEqual(rows[2]!.metrics, ['pass@5 80.0'], 'the main metric is not repeated');
  });

  it('formats durations and memory sizes for a glance', () => {
    assert.equal(formatMs(0.84), '0.8 ms');
    assert.equal(formatMs(999), '999 ms');
    assert.equal(formatMs(-1), '–');
    assert.equal(formatSeconds(4.26), '4.3 s');
    assert.equal(formatSeconds(59.6), '60 s');
    assert.equal(formatMiB(900), '900 MiB');
  });
});
