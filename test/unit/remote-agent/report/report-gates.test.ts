import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunPaths } from '../../../../remote-agent/store/layout';
import { writeResult } from '../../../../remote-agent/store/task-files';
import { lmEvalMetric } from '../../../../remote-agent/report/render-lm-eval';
import { parseThreshold } from '../../../../remote-agent/report/gates';
import { result } from '../../support/report/fixture';
import { writeRunStore } from '../../support/report/run-store-fixture';

const ROOT = path.resolve(__dirname, '../../../..');
const AGENT = path.join(ROOT, 'dist/agent.js');

describe('lm-eval metric names and thresholds', () => {
  it("names each scorer's metric as lm-eval's task of that kind does", () => {
    assert.deepEqual(lmEvalMetric('choice', 'multiple_choice'), { metric: 'acc', filter: 'none' });
    assert.deepEqual(lmEvalMetric('numeric', 'gsm8k'), { metric: 'exact_match', filter: 'flexible-extract' });
    assert.deepEqual(lmEvalMetric('code_execution', 'humaneval'), { metric: 'pass@1', filter: 'create_test' });
    assert.deepEqual(lmEvalMetric('code_execution', 'mbpp'), { metric: 'pass_at_1', filter: 'none' });
    assert.deepEqual(lmEvalMetric('instruction', 'instruction_following'), {
      metric: 'prompt_level_strict_acc',
      filter: 'none',
    });
    assert.deepEqual(lmEvalMetric('exact_match', 'jsonl'), { metric: 'exact_match', filter: 'none' });
  });

  it('reads a threshold as a fraction or a percentage, and refuses anything else', () => {
    assert.deepEqual(['0.8', '80%', ' 1 ', '-0'].map(parseThreshold), [0.8, 0.8, 1, -0]);
    assert.deepEqual(['', '%', 'abc', '0.8x', 'NaN'].map(parseThreshold), [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

/** The gates as CI runs them: dist/agent.js on a run store written with the agent's own code. */
describe(
  'report and compare gates (CLI)',
  { skip: fs.existsSync(AGENT) ? false : 'dist/agent.js is not built (npm run build)' },
  () => {
    let dir: string;
    let base: RunPaths;
    let better: RunPaths;
    let worse: RunPaths;
    const agent = (...args: string[]) =>
      spawnSync(process.execPath, [AGENT, ...args, '--workdir', dir], { encoding: 'utf8' });
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-gates-'));
      base = writeRunStore(dir);
      better = writeRunStore(dir);
      writeResult(better, result('good', 'gsm8k', 0.95, 0.02));
      worse = writeRunStore(dir);
      writeResult(worse, result('good', 'arc', 0.5, 0.05));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('runs lists every run, newest first', () => {
      const r = agent('runs');
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0]!, /^RUN\s+STATE\s+DONE/);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(/\s+/)[0]),
        [worse.runId, better.runId, base.runId],
      );
      const json = JSON.parse(agent('runs', '--json', '--limit', '1').stdout) as Array<{ runId: string }>;
      assert.deepEqual(
        json.map((x) => x.runId),
        [worse.runId],
      );
    });

    it('report --min-score exits 1 naming each task below it, or without a score; 0 when every task clears it', () => {
      const r = agent('report', base.runId, '--format', 'csv', '--min-score', '0.5');
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^run_id,/, 'the report is still written');
      assert.match(r.stderr, /--min-score 0\.5: 4 of 6 tasks below it/);
      assert.match(r.stderr, /good \/ mbpp: accuracy 0\.4 is below 0\.5/);
      assert.match(r.stderr, /broken \/ gsm8k: no score \(failed: engine failed to start: CUDA out of memory\)/);
      const zero = agent('report', base.runId, '--min-score', '0%');
      assert.equal(zero.status, 1, 'tasks without a score miss even a zero gate');
      const bad = agent('report', base.runId, '--min-score', 'high');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--min-score must be a number such as 0\.8 or 80%, got "high"/);
    });

    it('compare --fail-on-regression exits 1 only when B is lower beyond the combined standard error', () => {
      const up = agent('compare', base.runId, better.runId, '--fail-on-regression');
      assert.equal(up.status, 0, up.stderr);
      const down = agent('compare', base.runId, worse.runId, '--fail-on-regression');
      assert.equal(down.status, 1);
      assert.match(down.stdout, /B − A/, 'the comparison is printed first');
      assert.match(
        down.stderr,
        /1 regression from .+ to .+:\n {2}good \/ arc: accuracy 0\.5 ± 0\.05 in B against 0\.9 ± 0\.05 in A \(B − A = -0\.4, beyond the combined standard error 0\.0707\)/,
      );
      assert.equal(agent('compare', base.runId, worse.runId).status, 0, 'without the flag a comparison is not a gate');
    });

    it("report --format lm-eval writes lm-evaluation-harness's results.json for one model", () => {
      const several = agent('report', base.runId, '--format', 'lm-eval');
      assert.equal(several.status, 2);
      assert.match(several.stderr, /holds one model and run .+ has 2: give --model \(good, broken\)/);
      const out = path.join(dir, 'results.json');
      const r = agent('report', base.runId, '--format', 'lm-eval', '--model', 'good', '--out', out);
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.deepEqual(Object.keys(doc.results).sort(), ['arc', 'gsm8k', 'mbpp']);
      assert.equal(
        doc.results.gsm8k['exact_match,flexible-extract'],
        0.7,
        'the fixture datasets are gsm8k-format: numeric scorer',
      );
      assert.equal(doc.results.gsm8k['exact_match_stderr,flexible-extract'], 0.1);
      assert.deepEqual(doc['n-samples'].arc, { original: 10, effective: 10 });
      assert.equal(doc.configs.arc.num_fewshot, 0);
      assert.equal(doc.configs.arc.dataset_path, 'arc.jsonl');
      assert.deepEqual(doc.higher_is_better.mbpp, { exact_match: true });
      assert.equal(typeof doc.versions.mbpp, 'string');
      assert.equal(doc.model_name, 'org/good');
      assert.equal(doc.config.model_args, 'pretrained=org/good');
    });
  },
);
