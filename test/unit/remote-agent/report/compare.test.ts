import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport } from '../../../../remote-agent/report/build';
import { compareReports, renderComparison } from '../../../../remote-agent/report/compare';
import type { ReportInput } from '../../../../remote-agent/report/model';
import { mixedRun, result, selfCheckRun, state } from '../../support/report/fixture';

/** The mixed run again, with m1 better on d1 by a lot and on d2 by less than the noise, and m2/d2 now scored. */
function laterRun(): ReportInput {
  const input = mixedRun();
  input.status.runId = '20250103-130000-000-bbbbbb';
  input.status.results = [
    result('m1', 'd1', 0.95, 0.03),
    result('m1', 'd2', 0.55, 0.1),
    result('m2', 'd1', 0.8, 0.04),
    result('m2', 'd2', 0.3, 0.1),
  ];
  input.status.taskStates = input.status.taskStates.map((t) =>
    t.model === 'm2' && t.dataset === 'd2' ? state('m2', 'd2', 'done') : t,
  );
  return input;
}

describe('compare', () => {
  const a = buildReport(mixedRun());
  const b = buildReport(laterRun());
  const c = compareReports(a, b);

  it('pairs tasks by model and dataset and computes B − A with the combined standard error', () => {
    assert.equal(c.pairing, 'model_and_dataset');
    const m1d1 = c.differences.find((d) => d.modelA === 'm1' && d.dataset === 'd1')!;
    assert.ok(Math.abs(m1d1.difference - 0.15) < 1e-12);
    assert.ok(Math.abs(m1d1.combinedStderr - Math.sqrt(0.05 ** 2 + 0.03 ** 2)) < 1e-12);
    assert.equal(m1d1.larger, true);
    const m1d2 = c.differences.find((d) => d.modelA === 'm1' && d.dataset === 'd2')!;
    assert.equal(m1d2.larger, false, '0.05 is within sqrt(0.1² + 0.1²)');
    const m2d1 = c.differences.find((d) => d.modelA === 'm2' && d.dataset === 'd1')!;
    assert.equal(m2d1.difference, 0);
    assert.equal(m2d1.larger, false);
  });

  it('lists pairs without a score on one side instead of comparing them', () => {
    assert.equal(c.differences.length, 3);
    assert.deepEqual(
      c.unscored.map((u) => `${u.modelA}/${u.dataset}: ${u.why}`),
      [
        'm2/d2: A: failed',
        '<img src=x onerror=alert(1)>|`$(rm -rf ~)`/d1: A: failed, B: failed',
        '<img src=x onerror=alert(1)>|`$(rm -rf ~)`/d2: A: no result, B: no result',
      ],
    );
  });

  it('pairs by dataset when each run evaluated one different model', () => {
    const one = selfCheckRun();
    const other = selfCheckRun();
    other.status.runId = 'other';
    other.status.results = [result('big', 'gsm8k', 0.5, 0.05), result('big', 'mbpp', 0.9, 0.01)];
    other.status.taskStates = [state('big', 'gsm8k', 'done'), state('big', 'mbpp', 'done')];
    other.status.jobs = [];
    const cmp = compareReports(buildReport(one), buildReport(other));
    assert.equal(cmp.pairing, 'dataset');
    assert.deepEqual(
      cmp.differences.map((d) => [d.dataset, d.modelA, d.modelB, d.larger]),
      [
        ['gsm8k', 'tiny', 'big', true],
        ['mbpp', 'tiny', 'big', true],
      ],
    );
    assert.equal(cmp.runA.selfCheck, true);
  });

  it('names tasks found in only one run', () => {
    const extra = laterRun();
    extra.config.datasets = ['d1', 'd2', 'd3'];
    extra.status.results.push(result('m1', 'd3', 0.5, 0.1));
    const cmp = compareReports(a, buildReport(extra));
    assert.deepEqual(cmp.onlyInB, ['m1 / d3', 'm2 / d3', '<img src=x onerror=alert(1)>|`$(rm -rf ~)` / d3']);
    assert.deepEqual(cmp.onlyInA, []);
  });

  it('renders a table that says which differences exceed their standard error', () => {
    const text = renderComparison(c);
    const row = text.split('\n').find((l) => l.startsWith('d1') && l.includes(' m1 '))!;
    assert.match(row, /80\.0 ± 5\.0\s+95\.0 ± 3\.0\s+\+15\.0\s+5\.8\s+yes$/);
    assert.match(text, /1 of 3 differences are larger than their combined standard error/);
    assert.match(text, /not compared: m2 \/ d2 \(A: failed\)/);
  });
});
