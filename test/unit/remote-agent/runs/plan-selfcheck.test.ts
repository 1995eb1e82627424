import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { selfCheckFailures } from '../../../../remote-agent/runs/plan-selfcheck';

const problem = (id: string, body: string) => ({
  task_id: id,
  prompt: 'def add(a, b):\n    """Return a + b."""\n',
  canonical_solution: body,
  test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n',
  entry_point: 'add',
});

describe('plan self-check', () => {
  it('names the dataset whose references fail their own scorer, and passes a sound one', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-plan-selfcheck-'));
    try {
      fs.writeFileSync(path.join(root, 'good.jsonl'), JSON.stringify(problem('T/0', '    return a + b\n')) + '\n');
      fs.writeFileSync(
        path.join(root, 'bad.jsonl'),
        [problem('T/0', '    return a + b\n'), problem('T/1', '    return a - b\n')]
          .map((p) => JSON.stringify(p))
          .join('\n') + '\n',
      );
      const datasets = {
        good: DatasetSchema.parse({ format: 'humaneval', path: 'good.jsonl' }),
        bad: DatasetSchema.parse({ format: 'humaneval', path: 'bad.jsonl' }),
        absent: DatasetSchema.parse({ format: 'humaneval', path: 'absent.jsonl' }),
      };
      const failures = await selfCheckFailures(datasets, ['good', 'bad', 'absent'], root);
      assert.deepEqual(Object.keys(failures), ['bad']);
      assert.match(failures['bad']!, /^2 of 4 references fail their own scorer, e\.g\. T\/1: AssertionError/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a dataset none of whose records can be read fails the self-check with the first problem', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-plan-selfcheck-'));
    try {
      fs.writeFileSync(path.join(root, 'broken.jsonl'), '{"task_id": "T/0", "prompt": \n{"task_id": "T/1"}\n');
      const failures = await selfCheckFailures(
        { broken: DatasetSchema.parse({ format: 'gsm8k', path: 'broken.jsonl' }) },
        ['broken'],
        root,
      );
      assert.match(
        failures['broken'] ?? 'no failure',
        /^no record could be checked: 2 problems in the data \(e\.g\. .*broken\.jsonl:1: invalid JSON/,
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
