import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { SampleLookup } from '../../../../remote-agent/runs/sample-lookup';

const sample = (id: string, index: number): Sample =>
  ({ id, index, prompt: '', reference: id, referenceOutput: '', meta: { kind: 'jsonl' } }) as Sample;

describe('the samples of a task as its predictions name them', () => {
  // Few-shot examples held back (indices from 2), a record skipped (no index 4), ids that are not their indices.
  const samples = [sample('a', 2), sample('b', 3), sample('c', 5), sample('7', 6)];

  it('finds a sample by id whatever index the prediction carries, and nothing for an id the dataset lacks', () => {
    const lookup = new SampleLookup(samples);
    assert.equal(lookup.get('b', 3), samples[1]);
    assert.equal(lookup.get('c', 0), samples[2], 'an index of another sample');
    assert.equal(lookup.get('7', 7), samples[3], 'an index past the last');
    assert.equal(lookup.get('a', 3), samples[0], 'the index of another sample');
    assert.equal(lookup.get('gone', 2), undefined);
    assert.equal(lookup.has('a', 6), true);
    assert.equal(lookup.has('6', 6), false);
  });

  it('names the samples never asked for, in the dataset order; has() does not count as asking', () => {
    const lookup = new SampleLookup(samples);
    lookup.get('7', 6);
    lookup.get('b', 0);
    lookup.has('a', 2);
    assert.deepEqual(
      lookup.unfound().map((s) => s.id),
      ['a', 'c'],
    );
  });

  it('works the same for indices too sparse for an array', () => {
    const sparse = [sample('x', 5_000_000_000 % 2 ** 32), sample('y', 4_000_000_000)];
    const lookup = new SampleLookup(sparse);
    assert.equal(lookup.get('y', 4_000_000_000), sparse[1]);
    assert.equal(lookup.get('x', 1), sparse[0]);
    assert.deepEqual(lookup.unfound(), []);
  });
});
