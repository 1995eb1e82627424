import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport } from '../../../../remote-agent/report/build';
import { formatGpuHours } from '../../../../remote-agent/report/format';
import { cellAt } from '../../../../remote-agent/report/model';
import { HOSTILE_MODEL, HOSTILE_REASON, mixedRun, result, selfCheckRun } from '../../support/report/fixture';

describe('report model', () => {
  const report = buildReport(mixedRun(), new Date('2025-01-03T00:00:00Z'));

  it('has every model × dataset exactly once, in plan order', () => {
    assert.deepEqual(report.models, ['m1', 'm2', HOSTILE_MODEL]);
    assert.deepEqual(report.datasets, ['d1', 'd2']);
    assert.equal(report.cells.length, 6);
    assert.deepEqual(
      report.cells.map((c) => `${c.model}/${c.dataset}`),
      ['m1/d1', 'm1/d2', 'm2/d1', 'm2/d2', `${HOSTILE_MODEL}/d1`, `${HOSTILE_MODEL}/d2`],
    );
  });

  it('marks every best of a dataset, ties included, never a failed cell', () => {
    assert.deepEqual(report.columns[0]!.best, ['m1', 'm2']);
    assert.equal(report.columns[0]!.bestValue, 0.8);
    // d2: m2's result mostly errored (failed), so m1 is the only scored cell: nothing to compare against.
    assert.equal(cellAt(report, 'm2', 'd2')!.best, false);
    assert.deepEqual(
      report.cells.filter((c) => c.best).map((c) => `${c.model}/${c.dataset}`),
      ['m1/d1', 'm2/d1'],
    );
  });

  it('shows failed tasks and tasks with no result with their reasons', () => {
    const errored = cellAt(report, 'm2', 'd2')!;
    assert.equal(errored.status, 'failed');
    assert.equal(errored.value, 0.1, 'the failed result keeps its value');
    assert.match(errored.reason!, /9 of 10 samples errored/);
    const crashed = cellAt(report, HOSTILE_MODEL, 'd1')!;
    assert.equal(crashed.status, 'failed');
    assert.equal(crashed.reason, HOSTILE_REASON);
    const missing = cellAt(report, HOSTILE_MODEL, 'd2')!;
    assert.equal(missing.status, 'no_result');
    assert.match(missing.reason!, /no result/);
  });

  it('turns a task still "running" in an ended run into a task with no result', () => {
    const input = mixedRun();
    input.status.taskStates.push({ model: HOSTILE_MODEL, dataset: 'd2', state: 'running', done: 3, total: 10 });
    const cell = cellAt(buildReport(input), HOSTILE_MODEL, 'd2')!;
    assert.equal(cell.status, 'no_result');
    assert.match(cell.reason!, /run ended \(failed\) before this task wrote result\.json \(3\/10 samples done\)/);
  });

  it('keeps running tasks as running while the run goes on', () => {
    const input = mixedRun();
    input.status.state = 'running';
    input.status.taskStates.push({ model: HOSTILE_MODEL, dataset: 'd2', state: 'running', done: 3, total: 10 });
    assert.equal(cellAt(buildReport(input), HOSTILE_MODEL, 'd2')!.status, 'running');
  });

  it('counts failures by reason (first line), with the tasks', () => {
    assert.equal(report.failures.length, 3);
    const errored = report.failures.find((f) => f.reason.startsWith('9 of 10'))!;
    assert.deepEqual(errored.tasks, ['m2 / d2']);
    assert.ok(report.failures.some((f) => f.reason === '</script><script>alert("pwned")</script>'));
  });

  it('lists the most common reasons samples did not pass, over every result', () => {
    assert.deepEqual(report.sampleReasons, [
      { reason: 'engine error: connection refused', count: 9 },
      { reason: 'wrong answer', count: 4 },
      { reason: '<b>timeout</b> after 10 s', count: 1 },
    ]);
  });

  it('computes throughput from tokens over generation time, and GPU-hours from the job span', () => {
    const [m1, m2, m3] = report.modelStats;
    assert.equal(m1!.outputTokensPerS, 1500 / 20);
    assert.equal(m1!.gpuHours, 2 * 0.5, '2 GPUs × 30 minutes');
    assert.equal(m2!.outputTokensPerS, 300);
    assert.equal(m2!.gpuHours, null, 'a job without job_finished has no known span');
    assert.equal(m2!.sampleErrors, 9);
    assert.equal(m3!.outputTokensPerS, null);
    assert.equal(m3!.tasksFailed, 2);
  });

  it('carries provenance: versions, job ids, nodes, seed and settings', () => {
    const p = report.provenance;
    assert.equal(p.evalbenchVersion, '9.9.9');
    assert.deepEqual(p.engineVersions, { m1: '0.11.0' });
    assert.deepEqual(
      p.jobs.map((j) => j.jobId),
      ['101', '102', '103'],
    );
    assert.deepEqual(p.nodes, ['gpu-01', 'gpu-02', 'gpu-03']);
    assert.equal(p.seed, 1234);
    assert.equal(p.settings['engine.maxNumSeqs'], 64);
    assert.deepEqual(p.extra, { host: 'login-1' });
    assert.equal(report.run.selfCheck, false);
    assert.equal(report.selfCheckNote, undefined);
  });

  it('marks no best where every model scored the same', () => {
    const input = mixedRun();
    input.status.results[1] = { ...input.status.results[1]!, value: 0.1 };
    input.status.results[3] = { ...input.status.results[3]!, failure: undefined, value: 0.1 };
    input.status.taskStates[3] = { ...input.status.taskStates[3]!, state: 'done', reason: undefined };
    input.status.results.push(result(HOSTILE_MODEL, 'd2', 0.1, 0.1));
    const r = buildReport(input);
    assert.deepEqual(r.columns[1]!.best, []);
    assert.ok(r.cells.filter((c) => c.dataset === 'd2').every((c) => c.status === 'scored' && !c.best));
    assert.deepEqual(r.columns[0]!.best, ['m1', 'm2'], 'a tie beside a failed model is still best');
  });

  it('labels a reference-engine run as a self-check, with no GPU time', () => {
    const r = buildReport(selfCheckRun());
    assert.equal(r.run.selfCheck, true);
    assert.equal(r.run.engine, 'reference');
    assert.match(r.selfCheckNote!, /reference engine/);
    assert.equal(r.modelStats[0]!.gpus, 0);
    assert.equal(r.modelStats[0]!.gpuHours, 0);
  });

  it('does not count the GPUs of an external endpoint', () => {
    const input = mixedRun();
    input.config.engineOverride = 'endpoint http://gpu-box:8000/v1 (model m)';
    input.config.gpusPerModel = { m1: 0, m2: 0 };
    const r = buildReport(input);
    assert.equal(r.run.engine, 'endpoint http://gpu-box:8000/v1 (model m)');
    assert.ok(r.modelStats.every((s) => s.gpuHours === null));
    assert.equal(formatGpuHours(r.modelStats[0]!.gpuHours, r.modelStats[0]!.gpus), 'not counted (external server)');
  });

  it('recognises a self-check from the results alone', () => {
    const input = selfCheckRun();
    input.status.reference = undefined;
    input.config.engineOverride = undefined;
    assert.equal(buildReport(input).run.selfCheck, true);
    input.status.results[0]!.reference = false;
    assert.equal(buildReport(input).run.selfCheck, false);
  });
});
