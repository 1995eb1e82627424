import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countNonEmptyLines, countRecords, localDatasetPath } from '../../../../src/catalog/record-count';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('dataset record counting', () => {
  it('counts non-empty JSON lines, with or without a final newline', () => {
    assert.equal(countRecords(bytes('{"a":1}\n\n{"a":2}\r\n  \n{"a":3}'), 'x.jsonl'), 3);
    assert.equal(countRecords(bytes('{"a":1}\n{"a":2}\n'), 'x.jsonl'), 2);
    assert.equal(countRecords(bytes(''), 'x.jsonl'), 0);
  });

  it('counts a CSV without its header and a JSON array by its length', () => {
    assert.equal(countRecords(bytes('q,a\n1,2\n3,4\n'), 'x.csv'), 2);
    assert.equal(countRecords(bytes('[{"a":1},{"a":2},{"a":3},{"a":4}]'), 'x.json'), 4);
    assert.equal(countRecords(bytes('{"a":1}\n{"a":2}\n'), 'x.json'), 2, 'JSON lines in a .json file');
  });

  it('reads the format from the name under .gz and refuses formats it cannot count', () => {
    assert.equal(countRecords(bytes('{}\n{}\n'), 'data/x.JSONL.gz'), 2);
    assert.equal(countRecords(bytes('PAR1'), 'x.parquet'), undefined);
    assert.equal(countRecords(bytes('{"data": []}'), 'x.json'), undefined);
  });

  it('counts lines as bytes, whatever their encoding', () => {
    assert.equal(countNonEmptyLines(bytes('é\n\t\n→')), 2);
  });

  it('finds only paths that can be local files', () => {
    assert.deepEqual(localDatasetPath('data/x.jsonl'), { kind: 'relative', path: 'data/x.jsonl' });
    assert.deepEqual(localDatasetPath('/data/x.jsonl'), { kind: 'absolute', path: '/data/x.jsonl' });
    assert.equal(localDatasetPath('hf:openai/gsm8k:main@test'), undefined);
    assert.equal(localDatasetPath('$SCRATCH/x.jsonl'), undefined);
    assert.equal(localDatasetPath('~/x.jsonl'), undefined);
  });
});
