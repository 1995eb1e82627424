import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import { queryPredictions } from '../../../../remote-agent/runs/predictions-query';
import { RunPaths } from '../../../../remote-agent/store/layout';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-query-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(model: string, preds: Prediction[]): RunPaths {
  const paths = new RunPaths(path.join(dir, 'runs', 'r1'));
  const file = paths.predictions(model, 'd');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, preds.map((p) => JSON.stringify(p)).join('\n') + '\n');
  return paths;
}

function pred(i: number, verdict: 'pass' | 'fail', reason?: string): Prediction {
  return {
    id: `s${i}`,
    index: i,
    prompt: `q${i}`,
    output: `out ${i}`,
    finishReason: 'stop',
    promptTokens: 1,
    completionTokens: 1,
    latencyMs: 1,
    verdict,
    ...(reason ? { reason } : {}),
    time: 't',
  };
}

describe('tasks/predictions as the panels page it', () => {
  // Written out of order, as concurrent requests finish: pages come back in sample order.
  const paths = write('m', [
    pred(3, 'fail', 'wrong answer 9 != 8'),
    pred(0, 'pass'),
    pred(2, 'fail', 'no answer extracted'),
    pred(1, 'pass'),
    pred(4, 'fail', 'wrong answer 7 != 8'),
  ]);

  it('pages in sample order, with the counts over the whole task', () => {
    const r = queryPredictions(paths, 'm', 'd', { offset: 1, limit: 2 });
    assert.deepEqual(
      r.items.map((p) => p.index),
      [1, 2],
    );
    assert.equal(r.total, 5);
    assert.equal(r.matched, 5);
    assert.deepEqual(r.reasons, { 'wrong answer': 2, 'no answer extracted': 1 });
  });

  it('filters by a reason class or by an exact reason; each sample keeps its own reason', () => {
    const byClass = queryPredictions(paths, 'm', 'd', { offset: 0, limit: 10, reason: 'wrong answer' });
    assert.deepEqual(
      byClass.items.map((p) => [p.id, p.reason]),
      [
        ['s3', 'wrong answer 9 != 8'],
        ['s4', 'wrong answer 7 != 8'],
      ],
    );
    assert.equal(byClass.matched, 2);
    const exact = queryPredictions(paths, 'm', 'd', { offset: 0, limit: 10, reason: 'wrong answer 7 != 8' });
    assert.deepEqual(
      exact.items.map((p) => p.id),
      ['s4'],
    );
    assert.equal(queryPredictions(paths, 'm', 'd', { offset: 0, limit: 10, reason: 'timeout' }).matched, 0);
  });

  it('joins by ids for the side-by-side view, other filters still applying', () => {
    assert.deepEqual(
      queryPredictions(paths, 'm', 'd', { offset: 0, limit: 10, ids: ['s4', 's0', 'nope'] }).items.map((p) => p.id),
      ['s0', 's4'],
    );
    const failing = queryPredictions(paths, 'm', 'd', { offset: 0, limit: 10, ids: ['s4', 's0'], verdict: 'fail' });
    assert.deepEqual(
      failing.items.map((p) => p.id),
      ['s4'],
    );
    assert.equal(failing.matched, 1);
  });
});

describe('tasks/predictions of a task that wrote no predictions (its engine never started)', () => {
  const paths = new RunPaths(path.join(dir, 'runs', 'r2'));

  it('answers an empty page, asked by ids or not, instead of failing on the missing file', () => {
    const byIds = queryPredictions(paths, 'never-started', 'd', { offset: 0, limit: 10, ids: ['0', '1'] });
    assert.deepEqual(byIds, { total: 0, matched: 0, items: [], reasons: {} });
    assert.deepEqual(queryPredictions(paths, 'never-started', 'd', { offset: 0, limit: 10 }).items, []);
    assert.equal(fs.existsSync(path.dirname(paths.predictions('never-started', 'd'))), false, 'asking creates nothing');
  });
});
