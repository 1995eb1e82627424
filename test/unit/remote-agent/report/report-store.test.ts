import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadReport } from '../../../../remote-agent/report/load';
import { renderReport } from '../../../../remote-agent/report/render';
import type { RunPaths } from '../../../../remote-agent/store/layout';
import { writeResult } from '../../../../remote-agent/store/task-files';
import { result } from '../../support/report/fixture';
import { DATASETS, MODELS, writeRunStore } from '../../support/report/run-store-fixture';
import { parseHtml } from '../../support/report/html-structure';

const ROOT = path.resolve(__dirname, '../../../..');
describe('report from a run store on disk', () => {
  let dir: string;
  let paths: RunPaths;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-report-store-'));
    paths = writeRunStore(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('shows every task, with failed tasks and the task without a result and their reasons', async () => {
    const report = await loadReport(paths);
    assert.deepEqual(report.models, MODELS);
    assert.deepEqual(report.datasets, DATASETS);
    assert.deepEqual(
      report.cells.map((c) => `${c.model}/${c.dataset}:${c.status}`),
      [
        'good/gsm8k:scored',
        'good/mbpp:scored',
        'good/arc:scored',
        'broken/gsm8k:failed',
        'broken/mbpp:failed',
        'broken/arc:failed',
      ],
    );
    const byDataset = (d: string) => report.cells.find((c) => c.model === 'broken' && c.dataset === d)!.reason!;
    assert.equal(byDataset('gsm8k'), 'engine failed to start: CUDA out of memory');
    assert.match(byDataset('mbpp'), /9 of 10 samples errored/);
    assert.match(byDataset('arc'), /job local-2 ended COMPLETED but task has no result/);
    assert.equal(report.run.state, 'failed');
    assert.equal(report.failures.length, 3);
    const text = renderReport(report, 'text');
    assert.match(text, /broken\s+FAILED \(no result\)\s+FAILED \(10\.0 ± 10\.0\)\s+FAILED \(no result\)/);
  });

  it('takes throughput, GPU-hours and provenance from the store', async () => {
    const report = await loadReport(paths);
    const good = report.modelStats[0]!;
    assert.equal(good.outputTokensPerS, 500);
    assert.equal(good.gpus, 1);
    assert.equal(good.gpuHours, 1, '1 GPU × the hour between job_started and job_finished');
    const p = report.provenance;
    assert.equal(p.evalbenchVersion, '1.2.3');
    assert.equal(p.seed, 77);
    assert.equal(p.presetId, 'balanced');
    assert.deepEqual(
      p.jobs.map((j) => [j.jobId, j.state, j.node]),
      [
        ['local-1', 'COMPLETED', 'node-1'],
        ['local-2', 'COMPLETED', 'node-2'],
      ],
    );
    assert.deepEqual(p.nodes, ['node-1', 'node-2']);
    assert.deepEqual(p.engineVersions, { good: '0.10.1', broken: '0.10.1' });
    assert.equal(p.extra['submitted by'], 'tester@login');
    assert.equal(p.settings['generation.seed'], 1234);
    assert.equal(report.run.selfCheck, false);
  });

  it('renders all four formats from the store', async () => {
    const report = await loadReport(paths);
    assert.deepEqual(parseHtml(renderReport(report, 'html')).errors, []);
    assert.match(renderReport(report, 'md'), /engine failed to start: CUDA out of memory/);
    assert.equal(renderReport(report, 'csv').trimEnd().split('\r\n').length, 1 + 6);
    assert.equal(JSON.parse(renderReport(report, 'json')).cells.length, 6);
  });

  it('labels a reference-engine run as a self-check with no GPU time', async () => {
    const selfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-report-self-'));
    try {
      const report = await loadReport(writeRunStore(selfDir, { kind: 'reference' }));
      assert.equal(report.run.selfCheck, true);
      assert.ok(report.modelStats.every((s) => s.gpus === 0 && s.gpuHours === 0));
      assert.match(renderReport(report, 'md'), /SELF-CHECK RUN/);
    } finally {
      fs.rmSync(selfDir, { recursive: true, force: true });
    }
  });
});

/** The CLI as a user runs it, on the same store: dist/agent.js (test/run-all.sh builds it first). */
describe(
  'evalbench report and compare (CLI)',
  { skip: fs.existsSync(path.join(ROOT, 'dist/agent.js')) ? false : 'dist/agent.js is not built (npm run build)' },
  () => {
    let dir: string;
    let a: RunPaths;
    let b: RunPaths;
    const agent = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'dist/agent.js'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, EVALBENCH_WORKDIR: dir },
      });
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-report-cli-'));
      a = writeRunStore(dir);
      b = writeRunStore(dir);
      writeResult(b, result('good', 'gsm8k', 0.95, 0.02));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('writes each format to --out, inferring it from the extension', () => {
      for (const ext of ['md', 'html', 'csv', 'json']) {
        const out = path.join(dir, `r.${ext}`);
        const r = agent('report', a.runId, '--out', out);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(fs.statSync(out).size > 100);
      }
      const html = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
      assert.match(html, /Chart\.js v4/, 'the bundled agent inlines Chart.js');
      assert.deepEqual(parseHtml(html).errors, []);
      const r = agent('report', a.runId, '--format', 'csv');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^run_id,self_check,model,dataset/);
    });

    it('says precisely what is wrong with a bad run id or format', () => {
      const missing = agent('report', '20990101-000000-000-abcdef');
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /no run 20990101-000000-000-abcdef under /);
      const badFormat = agent('report', a.runId, '--format', 'pdf');
      assert.equal(badFormat.status, 2);
      assert.match(badFormat.stderr, /--format must be one of md, html, csv, json, text, lm-eval, got "pdf"/);
    });

    it('compares two runs: differences and whether each exceeds the combined standard error', () => {
      const r = agent('compare', a.runId, b.runId, '--json');
      assert.equal(r.status, 0, r.stderr);
      const c = JSON.parse(r.stdout);
      const gsm8k = c.differences.find(
        (d: { dataset: string; modelA: string }) => d.dataset === 'gsm8k' && d.modelA === 'good',
      );
      assert.ok(Math.abs(gsm8k.difference - 0.25) < 1e-9);
      assert.equal(gsm8k.larger, true);
      assert.equal(c.differences.find((d: { dataset: string }) => d.dataset === 'arc').larger, false);
      const text = execFileSync(
        process.execPath,
        [path.join(ROOT, 'dist/agent.js'), 'compare', a.runId, b.runId, '--workdir', dir],
        { encoding: 'utf8' },
      );
      assert.match(text, /1 of 3 differences are larger than their combined standard error/);
    });
  },
);
