import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import type { ScoreReport } from '../../../../remote-agent/scoring/report';
import { selfCheckDataset, selfCheckWarning, type SelfCheckReport } from '../../../../remote-agent/scoring/selfcheck';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'workspace');
const agent = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'remote-agent', 'main.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });

/** What `score --json` prints; `selfcheck --json` adds the samples it skipped. */
type Report = ScoreReport & Partial<Pick<SelfCheckReport, 'skipped'>>;

describe('evalbench selfcheck and score', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-cli-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("every example dataset's references pass their own scorer; MT-Bench is reported as needing a judge", () => {
    const ids = [
      'humaneval',
      'mbpp',
      'gsm8k',
      'arc_challenge',
      'hellaswag',
      'function_calling',
      'instruction_following',
      'mt_bench',
    ];
    const r = agent('selfcheck', '--workspace', EXAMPLE, '--dataset', ids.join(','), '--json');
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const reports = JSON.parse(r.stdout) as Report[];
    for (const rep of reports) {
      if (rep.dataset === 'mt_bench') {
        assert.deepEqual([rep.n, rep.skipped], [0, 8]);
        continue;
      }
      assert.ok(rep.n >= 8, `${rep.dataset}: ${rep.n} checks`);
      assert.deepEqual([rep.dataset, rep.passed, rep.value], [rep.dataset, rep.n, 1]);
    }
  });

  it('selfcheck exits non-zero and names the reference that fails', () => {
    const ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, '.evalbench'), { recursive: true });
    const rec = (id: string, solution: string) =>
      JSON.stringify({
        task_id: id,
        prompt: 'def one():\n    """Return 1."""\n',
        entry_point: 'one',
        canonical_solution: solution,
        test: 'def check(c):\n    assert c() == 1\n',
      });
    fs.writeFileSync(
      path.join(ws, 'he.jsonl'),
      `${rec('ok/0', '    return 1\n')}\n${rec('bad/1', '    return 2\n')}\n`,
    );
    fs.writeFileSync(
      path.join(ws, '.evalbench', 'datasets.jsonc'),
      '{ "mini": { "format": "humaneval", "path": "he.jsonl" } }',
    );
    const human = agent('selfcheck', '--workspace', ws, '--dataset', 'mini', '--mode', 'completion');
    assert.equal(human.status, 1, human.stderr);
    assert.match(human.stdout, /FAIL bad\/1 \[completion\]: AssertionError in test 1/);
    assert.doesNotMatch(human.stdout, /ok\/0/);
  });

  it('score --json prints one object with the metric, its standard error, reasons and per-sample verdicts', () => {
    const preds = path.join(tmp, 'preds.jsonl');
    const lines = [
      { id: 'evalbench-example/0', output: '    return sum(1 for ch in text.lower() if ch in "aeiou")\n' },
      {
        id: 'evalbench-example/1',
        output:
          '```python\ndef running_max(values):\n    out, best = [], None\n    for v in values:\n        best = v if best is None else max(best, v)\n        out.append(best)\n    return out\n```',
      },
      { id: 'evalbench-example/3', output: 'def compress(text):\n    return text\n' },
    ];
    fs.writeFileSync(preds, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{broken\n');
    const r = agent('score', '--workspace', EXAMPLE, '--dataset', 'humaneval', '--predictions', preds, '--json');
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as Report;
    assert.deepEqual([rep.dataset, rep.n, rep.passed, rep.metric], ['humaneval', 3, 2, 'pass@1']);
    assert.ok(Math.abs(rep.value - 2 / 3) < 1e-9 && rep.stderr > 0);
    assert.deepEqual(rep.reasons, { AssertionError: 1 });
    assert.deepEqual(rep.samples, [
      { id: 'evalbench-example/0', verdict: 'pass', reason: 'all tests passed' },
      { id: 'evalbench-example/1', verdict: 'pass', reason: 'all tests passed' },
      { id: 'evalbench-example/3', verdict: 'fail', reason: 'AssertionError in test 1' },
    ]);
    assert.ok(rep.problems.some((p) => /preds\.jsonl:4: invalid JSON/.test(p)));
  });

  it('score refuses predictions that repeat a sample id, naming each one and its lines, instead of counting an answer many times', () => {
    const preds = path.join(tmp, 'dups.jsonl');
    const pass = { id: 'evalbench-example/0', output: '    return sum(1 for ch in text.lower() if ch in "aeiou")\n' };
    // The same id written as a number and as a string is one sample too.
    const lines = [
      ...Array.from({ length: 100 }, () => pass),
      { id: 'evalbench-example/3', output: 'def compress(text):\n    return text\n' },
      { task_id: 'evalbench-example/3', completion: '    return ""\n' },
    ];
    fs.writeFileSync(preds, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = agent('score', '--workspace', EXAMPLE, '--dataset', 'humaneval', '--predictions', preds, '--json');
    assert.equal(r.status, 2, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /2 sample ids appear more than once: "evalbench-example\/0" \(100×, lines 1, 2, 3, 4, 5, …\), "evalbench-example\/3" \(2×, lines 101, 102\)/,
    );
  });

  it('selfcheck of a dataset whose every record is invalid prints each problem with file:line and exits non-zero', () => {
    const ws = path.join(tmp, 'ws-invalid');
    fs.mkdirSync(path.join(ws, '.evalbench'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'gsm.jsonl'),
      '{"question": "One plus one?"\n["not", "an", "object"]\n{"question": "Two?", "answer": 2}\n',
    );
    fs.writeFileSync(path.join(ws, 'empty.jsonl'), '\n');
    fs.writeFileSync(
      path.join(ws, '.evalbench', 'datasets.jsonc'),
      '{ "g": { "format": "gsm8k", "path": "gsm.jsonl" }, "e": { "format": "gsm8k", "path": "empty.jsonl" } }',
    );
    const human = agent('selfcheck', '--workspace', ws, '--dataset', 'g,e');
    assert.equal(human.status, 1, human.stdout + human.stderr);
    assert.doesNotMatch(human.stdout, /nothing to check/);
    assert.match(human.stdout, /self-check g: FAILED: no record could be checked: 3 problems/);
    for (const line of [1, 2, 3]) assert.match(human.stdout, new RegExp(`gsm\\.jsonl:${line}: \\S`));
    assert.match(human.stdout, /self-check e: FAILED: the dataset has no records/);
    const json = agent('selfcheck', '--workspace', ws, '--dataset', 'g', '--json');
    assert.equal(json.status, 1);
    assert.equal((JSON.parse(json.stdout) as Report).problems.length, 3);
  });

  it('score --predictions - reads the predictions from stdin', () => {
    const ws = path.join(tmp, 'stdin-ws');
    fs.mkdirSync(path.join(ws, '.evalbench'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'gsm.jsonl'),
      [
        { question: 'One plus one?', answer: '1 + 1 = 2\n#### 2' },
        { question: 'Two plus two?', answer: '2 + 2 = 4\n#### 4' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    fs.writeFileSync(
      path.join(ws, '.evalbench', 'datasets.jsonc'),
      '{ "g": { "format": "gsm8k", "path": "gsm.jsonl" } }',
    );
    const input =
      [
        { id: '0', output: 'The answer is 2' },
        { id: '1', output: '#### 5' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n';
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'remote-agent', 'main.ts'),
        'score',
        '--workspace',
        ws,
        '--dataset',
        'g',
        '--predictions',
        '-',
        '--json',
      ],
      { encoding: 'utf8', cwd: ROOT, input },
    );
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as Report;
    assert.deepEqual([rep.n, rep.passed, rep.samples.map((x) => x.verdict)], [2, 1, ['pass', 'fail']]);
    const empty = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'remote-agent', 'main.ts'),
        'score',
        '--workspace',
        ws,
        '--dataset',
        'g',
        '--predictions',
        '-',
      ],
      { encoding: 'utf8', cwd: ROOT, input: 'not json\n' },
    );
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /stdin: no predictions read\nstdin:1: invalid JSON/);
  });

  it("the plan's self-check warning names a failing reference, and stays quiet when all pass", async () => {
    const gsm = path.join(tmp, 'gsm.jsonl');
    fs.writeFileSync(gsm, JSON.stringify({ question: 'One plus one?', answer: '1 + 1 = 2\n#### 2' }) + '\n');
    const ok = await selfCheckDataset('g', DatasetSchema.parse({ format: 'gsm8k', path: gsm }), { root: tmp });
    assert.equal(selfCheckWarning(ok), undefined);
    const bad = {
      ...ok,
      samples: [{ id: '0', verdict: 'fail' as const, reason: 'wrong answer 3 != 2', mode: 'chat' }],
    };
    assert.equal(
      selfCheckWarning(bad),
      'dataset g: 1 of 2 reference answers fail their own scorer (e.g. 0 [chat]: wrong answer 3 != 2); its scores cannot be trusted',
    );
  });
});
