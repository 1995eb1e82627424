import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadDatasetSync } from '../../../../remote-agent/datasets';
import { dataset, jsonl, tempFiles } from '../../support/datasets/fixtures';

const HE = (id: string | number, body: string) => ({
  task_id: id,
  prompt: 'def one():\n    """Return 1."""\n',
  entry_point: 'one',
  canonical_solution: body,
  test: 'def check(c):\n    assert c() == 1\n',
});
const t = tempFiles({
  // The same problem a hundred times, and an id given once as a number and once as a string.
  'he.jsonl': jsonl([
    ...Array.from({ length: 100 }, () => HE('T/0', '    return 1\n')),
    HE(7, '    return 1\n'),
    HE('7', '    return 2\n'),
    HE('T/1', '    return 1\n'),
  ]),
});
after(t.cleanup);

describe('sample ids in a dataset', () => {
  it('a record repeating an earlier id is reported with both lines and skipped, so a sample is scored once', () => {
    const loaded = loadDatasetSync(dataset({ format: 'humaneval', path: 'he.jsonl' }), { root: t.dir, chat: false });
    assert.deepEqual(
      loaded.samples.map((s) => [s.id, s.meta.line]),
      [
        ['T/0', 1],
        ['7', 101],
        ['T/1', 103],
      ],
    );
    const dups = loaded.problems.filter((p) => /duplicate id/.test(p.message));
    assert.equal(dups.length, 100);
    assert.deepEqual([dups[0]!.line, dups[0]!.message], [2, 'duplicate id "T/0" (first on line 1): skipped']);
    assert.deepEqual([dups[99]!.line, dups[99]!.message], [102, 'duplicate id "7" (first on line 101): skipped']);
  });
});
