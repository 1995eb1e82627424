import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { rescoreTask } from '../../../../remote-agent/runs/rescore';
import { indexFileOf } from '../../../../remote-agent/store/predictions-index';
import { HEADER_BYTES } from '../../../../remote-agent/store/predictions-index-format';
import { DATASET, MODEL, writeRescoreRun } from '../../support/runs/fixtures/rescore-task';

/**
 * What a re-score writes, byte for byte, against what the code before the speed-up wrote for the same task (kept in
 * fixtures/rescore-golden/, written by that code; changed once on purpose since: a line that is not a prediction,
 * superseded by a later line of its sample, is kept and reported where it was dropped silently): the predictions file, its index records (the header holds the
 * file's inode, which differs between runs), the task's result and the outcome reported. Run twice: the second
 * re-score reads what the first wrote, a file whose keys are in a re-score's order.
 * UPDATE_RESCORE_GOLDEN=1 rewrites the fixtures; do that only for a change of output made on purpose.
 */
const GOLDEN = path.join(__dirname, '../../support/runs/fixtures', 'rescore-golden');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-rescore-output-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function matchesGolden(name: string, actual: Buffer | string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_RESCORE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  const expected = fs.readFileSync(file);
  const got = Buffer.from(actual);
  if (got.equals(expected)) return;
  // The first line that differs says more than two buffers.
  const [a, b] = [got.toString('utf8').split('\n'), expected.toString('utf8').split('\n')];
  const at = a.findIndex((line, i) => line !== b[i]);
  assert.fail(`${name} differs from the golden output at line ${at + 1}:\n  got:      ${a[at]}\n  expected: ${b[at]}`);
}

describe('re-scoring writes exactly what it wrote before the speed-up', () => {
  it('a generated task with mixed verdicts, every line shape, a corrupted middle line and a torn last line', async () => {
    const workdir = path.join(dir, 'work');
    const { paths, file } = writeRescoreRun(workdir, 240);
    for (const pass of ['first', 'second']) {
      const outcome = await rescoreTask(paths, MODEL, DATASET);
      matchesGolden(`${pass}.predictions.jsonl`, fs.readFileSync(file));
      matchesGolden(`${pass}.predictions.idx.records`, fs.readFileSync(indexFileOf(file)).subarray(HEADER_BYTES));
      matchesGolden(
        `${pass}.result.json`,
        fs.readFileSync(paths.result(MODEL, DATASET), 'utf8').replaceAll(file, '<predictions.jsonl>'),
      );
      matchesGolden(
        `${pass}.outcome.json`,
        JSON.stringify(outcome, null, 2).replaceAll(file, '<predictions.jsonl>') + '\n',
      );
    }
    assert.equal(Object.getPrototypeOf({}).polluted, undefined);
  });
});
