import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import { VerdictCache } from '../../../../src/datasets/verdict-cache';

function prediction(id: string, verdict: 'pass' | 'fail'): Prediction {
  return {
    id,
    index: 0,
    prompt: 'p',
    output: `answer for ${id}`,
    finishReason: 'stop',
    promptTokens: 1,
    completionTokens: 1,
    latencyMs: 1,
    verdict,
    time: '2026-12-05T00:00:00Z',
  };
}

/** An agent whose verdicts can change (a re-score), counting the requests it answers. */
function agent() {
  const verdicts = new Map<string, 'pass' | 'fail'>([
    ['a', 'pass'],
    ['b', 'fail'],
  ]);
  const requests: Array<{ model: string; ids: string[] }> = [];
  const fetch = async (_run: string, model: string, _dataset: string, ids: string[]) => {
    requests.push({ model, ids });
    return ids.filter((id) => verdicts.has(id)).map((id) => prediction(id, verdicts.get(id)!));
  };
  return { verdicts, requests, fetch };
}

describe('verdict cache', () => {
  it('asks once per model for the ids it has not seen, and remembers samples without a prediction', async () => {
    const a = agent();
    const cache = new VerdictCache(a.fetch);
    assert.equal((await cache.load('r1', 'd', ['m1', 'm2'], ['a', 'b', 'c'])).requests, 2);
    assert.equal(cache.peek('r1', 'm1', 'd', 'a')?.verdict, 'pass');
    assert.equal(cache.peek('r1', 'm1', 'd', 'c'), null);
    assert.equal(cache.peek('r1', 'm1', 'd', 'z'), undefined);
    assert.equal(
      (await cache.load('r1', 'd', ['m1', 'm2'], ['a', 'b', 'c'])).requests,
      0,
      'a scroll back asks nothing',
    );
    await cache.load('r1', 'd', ['m1'], ['b', 'd']);
    assert.deepEqual(a.requests.at(-1), { model: 'm1', ids: ['d'] });
  });

  it('a re-score drops the run’s verdicts: the next load reads the new ones', async () => {
    const a = agent();
    const cache = new VerdictCache(a.fetch);
    await cache.load('r1', 'd', ['m1'], ['a', 'b']);
    await cache.load('r2', 'd', ['m1'], ['a']);
    a.verdicts.set('b', 'pass');
    cache.invalidate('r1', 'm1', 'd');
    assert.equal(cache.peek('r1', 'm1', 'd', 'b'), undefined);
    assert.equal(cache.peek('r2', 'm1', 'd', 'a')?.verdict, 'pass', 'another run keeps its verdicts');
    await cache.load('r1', 'd', ['m1'], ['a', 'b']);
    assert.equal(cache.peek('r1', 'm1', 'd', 'b')?.verdict, 'pass');
  });

  it('an answer that arrives after a re-score is not kept (it may hold the old verdicts)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new VerdictCache(async (_r, _m, _d, ids) => {
      await gate;
      return ids.map((id) => prediction(id, 'fail'));
    });
    const loading = cache.load('r1', 'd', ['m1'], ['a']);
    cache.invalidate('r1');
    release();
    await loading;
    assert.equal(cache.peek('r1', 'm1', 'd', 'a'), undefined);
  });

  it('splits more than 1000 ids into requests the RPC accepts', async () => {
    const a = agent();
    const cache = new VerdictCache(a.fetch);
    const ids = Array.from({ length: 2500 }, (_, i) => `s${i}`);
    assert.equal((await cache.load('r1', 'd', ['m1'], ids)).requests, 3);
    assert.ok(a.requests.every((r) => r.ids.length <= 1000));
  });

  it('a request that fails for one model keeps the others’ verdicts, says which model failed, and is asked again', async () => {
    const a = agent();
    let broken = true;
    const cache = new VerdictCache(async (run, model, dataset, ids) => {
      if (model === 'no-file' && broken) throw new Error('ENOENT: no such file or directory');
      return a.fetch(run, model, dataset, ids);
    });
    const first = await cache.load('r1', 'd', ['m1', 'no-file', 'm2'], ['a', 'b']);
    assert.deepEqual(first.failures, [{ model: 'no-file', message: 'ENOENT: no such file or directory' }]);
    assert.equal(cache.peek('r1', 'm1', 'd', 'a')?.verdict, 'pass');
    assert.equal(cache.peek('r1', 'm2', 'd', 'b')?.verdict, 'fail');
    assert.equal(cache.peek('r1', 'no-file', 'd', 'a'), undefined, 'nothing is remembered of the failed model');
    assert.equal(cache.failureOf('r1', 'no-file', 'd'), 'ENOENT: no such file or directory');
    broken = false;
    const second = await cache.load('r1', 'd', ['m1', 'no-file', 'm2'], ['a', 'b']);
    assert.deepEqual(second, { requests: 1, failures: [] });
    assert.equal(cache.peek('r1', 'no-file', 'd', 'a')?.verdict, 'pass');
    assert.equal(cache.failureOf('r1', 'no-file', 'd'), undefined);
  });
});
