import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIdMap, type LineSource } from '../../../../src/datasets/line-ids';
import { readRecords } from '../../../../remote-agent/datasets/read-records';
import { sampleId } from '../../../../common/dataset/sample-id';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A document as the editor holds it: lines, a version bumped on each edit, and a count of the lines read. */
class Doc implements LineSource {
  version = 1;
  reads = 0;
  private lines: string[];
  constructor(text: string) {
    this.lines = text.split('\n');
  }
  get lineCount(): number {
    return this.lines.length;
  }
  lineAt(line: number): { text: string } {
    this.reads++;
    return { text: this.lines[line]! };
  }
  getText(): string {
    return this.lines.join('\n');
  }
  replaceLine(line: number, text: string): void {
    this.lines[line] = text;
    this.version++;
  }
}

const GSM = { format: 'gsm8k' as const, fewShot: 0 };
const ids = (m: LineIdMap, n: number) => m.recordsIn(0, n).map((r) => [r.line, r.id]);

/** The ids the agent itself gives the file's records, by 0-based line. */
function agentIds(text: string, name: string, dataset: Parameters<typeof sampleId>[0]): Array<[number, string]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'line-ids-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    return readRecords(file).records.map((r, i) => [r.line - 1, sampleId(dataset, r.value, i)]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('dataset lines → sample ids', () => {
  it('JSON lines: task_id, else id, else the position among records (blank and broken lines are not records)', () => {
    const text = [
      '{"task_id": "HumanEval/0"}',
      '',
      '{"id": 7, "q": 1}',
      'not json',
      '{"q": "no id"}',
      '[1, 2]',
      '{"q": "also none"}',
    ].join('\n');
    const m = new LineIdMap(GSM, 'd.jsonl', new Doc(text));
    assert.deepEqual(ids(m, 10), [
      [0, 'HumanEval/0'],
      [2, '7'],
      [4, '2'],
      [6, '3'],
    ]);
    assert.deepEqual(ids(m, 10), agentIds(text, 'd.jsonl', GSM));
    assert.deepEqual(
      m.problems().map((p) => [p.line, p.kind]),
      [
        [3, 'unreadable'],
        [5, 'unreadable'],
      ],
    );
  });

  it('reads only the visible lines when records carry their own id, and the lines before once when ids are positions', () => {
    const many = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ task_id: `t${i}` })).join('\n');
    const own = new Doc(many);
    assert.deepEqual(
      new LineIdMap(GSM, 'd.jsonl', own).recordsIn(4000, 4002).map((r) => r.id),
      ['t4000', 't4001', 't4002'],
    );
    assert.equal(own.reads, 3);
    const positional = new Doc(Array.from({ length: 5000 }, (_, i) => JSON.stringify({ q: i })).join('\n'));
    const m = new LineIdMap(GSM, 'd.jsonl', positional);
    assert.deepEqual(
      m.recordsIn(4000, 4001).map((r) => r.id),
      ['4000', '4001'],
    );
    const first = positional.reads;
    assert.deepEqual(
      m.recordsIn(4100, 4100).map((r) => r.id),
      ['4100'],
    );
    assert.ok(
      positional.reads - first < 200,
      `a later range reads on from where the last stopped (${positional.reads - first} reads)`,
    );
  });

  it('an edit above the visible range renumbers the records after it', () => {
    const doc = new Doc(['{"q": 0}', '{"q": 1}', '{"q": 2}'].join('\n'));
    const m = new LineIdMap(GSM, 'd.jsonl', doc);
    assert.deepEqual(ids(m, 2), [
      [0, '0'],
      [1, '1'],
      [2, '2'],
    ]);
    doc.replaceLine(0, 'broken {');
    m.edited(0);
    assert.deepEqual(ids(m, 2), [
      [1, '0'],
      [2, '1'],
    ]);
  });

  it('a dataset that takes few-shot examples from itself: its first records have no sample', () => {
    const m = new LineIdMap({ ...GSM, fewShot: 2 }, 'd.jsonl', new Doc(['{"q":0}', '{"q":1}', '{"q":2}'].join('\n')));
    assert.deepEqual(ids(m, 3), [
      [0, undefined],
      [1, undefined],
      [2, '2'],
    ]);
  });

  it('format "jsonl" reads the id from fields.id', () => {
    const ds = { format: 'jsonl' as const, fields: { id: 'uid', prompt: 'p' }, fewShot: 0 };
    const m = new LineIdMap(ds, 'd.jsonl', new Doc('{"uid": "a", "id": "not this"}\n{"p": "x"}'));
    assert.deepEqual(ids(m, 2), [
      [0, 'a'],
      [1, '1'],
    ]);
  });

  it('JSON array: each element on the line it starts, as the agent reads it', () => {
    const text = '[\n  {"id": "a",\n   "q": 1},\n  {"q": 2},\n  3,\n  {"q": 4}\n]\n';
    const m = new LineIdMap(GSM, 'd.json', new Doc(text));
    assert.deepEqual(ids(m, 10), [
      [1, 'a'],
      [3, '1'],
      [5, '2'],
    ]);
    assert.deepEqual(ids(m, 10), agentIds(text, 'd.json', GSM));
    assert.deepEqual(
      m.problems().map((p) => [p.line, p.message]),
      [[4, 'expected a JSON object']],
    );
  });

  it('CSV with a header, a quoted field spanning lines, and a row with the wrong number of columns', () => {
    const text = 'id,question,answer\nq1,"two\nlines, with a comma",A\nq2,plain,B\nq3,short\nq4,"""quoted""",C\n';
    const m = new LineIdMap(GSM, 'd.csv', new Doc(text));
    assert.deepEqual(ids(m, 10), [
      [1, 'q1'],
      [3, 'q2'],
      [5, 'q4'],
    ]);
    assert.deepEqual(ids(m, 10), agentIds(text, 'd.csv', GSM));
    assert.deepEqual(
      m.problems().map((p) => [p.line, p.kind]),
      [[4, 'unreadable']],
    );
  });

  it('MMLU-style headerless CSV: ids are row positions', () => {
    const mc = { format: 'multiple_choice' as const, fewShot: 0 };
    const text = 'What is 2+2?,3,4,5,6,B\n"Which, of these",a,b,c,d,A\nLast one,w,x,y,z,D\n';
    const m = new LineIdMap(mc, 'mmlu.csv', new Doc(text));
    assert.deepEqual(ids(m, 10), [
      [0, '0'],
      [1, '1'],
      [2, '2'],
    ]);
    assert.deepEqual(ids(m, 10), agentIds(text, 'mmlu.csv', mc));
  });

  it('a CSV quote never closed is a problem on the line it opens, not a crash', () => {
    const m = new LineIdMap(GSM, 'd.csv', new Doc('a,b\n1,2\n3,"never closed\n4,5\n'));
    assert.deepEqual(m.recordsIn(0, 5), []);
    assert.deepEqual(
      m.problems().map((p) => p.line),
      [2],
    );
  });

  it('repeated ids are problems on the later lines (the run skips them)', () => {
    const m = new LineIdMap(GSM, 'd.jsonl', new Doc('{"id": 1}\n{"id": 2}\n{"id": 1}'));
    const dup = m.problems();
    assert.equal(dup.length, 1);
    assert.equal(dup[0]!.line, 2);
    assert.equal(dup[0]!.kind, 'duplicate');
    assert.match(dup[0]!.message, /duplicate id "1" \(first on line 1\)/);
  });
});
