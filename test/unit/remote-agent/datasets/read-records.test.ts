import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as path from 'path';
import { parseCsv } from '../../../../remote-agent/datasets/csv';
import { readRecords } from '../../../../remote-agent/datasets/read-records';
import { tempFiles } from '../../support/datasets/fixtures';

describe('reading data files', () => {
  const t = tempFiles({
    'a.jsonl': '{"id": 1, "q": "x"}\n{"id": 2, "q": broken}\n\n{"id": 3}\n[1, 2]\n',
    'b.json': '[\n  {"id": "a"},\n  {"id": "b"},\n  {"id": "c"}\n]\n',
    'c.json': '{"id": "x"}\n{"id": "y"}\n',
    'd.jsonl.gz': '{"id": "z1"}\n{"id": "z2"}\n',
    'e.csv': 'question,choice0,choice1,answer\n"Commas, and ""quotes""",yes,no,0\n"Two\nlines",a,b,1\nshort,row\n',
    'f.csv': 'What is 2+2?,3,4,5,6,B\r\n"Which, with comma?",w,x,y,z,D\r\n',
    'h.csv': 'q,a\n5" screen,yes\nx,y\n',
    'i.csv': 'q,a\n"never closed,yes\nx,y\n',
    'g.json': '[\n  {"id": "ok"},\n  {"id": oops},\n  {"id": "ok2"}\n]\n',
  });
  after(t.cleanup);
  const read = (name: string) => readRecords(path.join(t.dir, name));

  it('reads JSON lines, reports a broken line by number and keeps the rest', () => {
    const r = read('a.jsonl');
    assert.deepEqual(
      r.records.map((x) => x.value.id),
      [1, 3],
    );
    assert.deepEqual(
      r.records.map((x) => x.line),
      [1, 4],
    );
    assert.deepEqual(
      r.problems.map((p) => p.line),
      [2, 5],
    );
    assert.match(r.problems[0]!.message, /invalid JSON/);
    assert.match(r.problems[1]!.message, /expected a JSON object/);
  });

  it("reads a .json array with each element's line, and JSON lines despite a .json name", () => {
    const a = read('b.json');
    assert.deepEqual(
      a.records.map((x) => [x.value.id, x.line]),
      [
        ['a', 2],
        ['b', 3],
        ['c', 4],
      ],
    );
    assert.deepEqual(
      read('c.json').records.map((x) => x.value.id),
      ['x', 'y'],
    );
  });

  it('skips a broken array element and keeps its neighbours', () => {
    const r = read('g.json');
    assert.deepEqual(
      r.records.map((x) => x.value.id),
      ['ok', 'ok2'],
    );
    assert.equal(r.problems.length >= 1, true);
    assert.equal(r.problems[0]!.line, 3);
  });

  it('reads gzipped files', () => {
    assert.deepEqual(
      read('d.jsonl.gz').records.map((x) => x.value.id),
      ['z1', 'z2'],
    );
  });

  it('reads CSV with a header, quoted commas, doubled quotes and newlines; a short row is reported', () => {
    const r = read('e.csv');
    assert.equal(r.records.length, 2);
    assert.equal(r.records[0]!.value.question, 'Commas, and "quotes"');
    assert.equal(r.records[1]!.value.question, 'Two\nlines');
    assert.equal(r.records[1]!.value.answer, '1');
    assert.deepEqual(
      r.problems.map((p) => p.line),
      [5],
    );
  });

  it('reads header-less CSV (CRLF) by column position', () => {
    const r = read('f.csv');
    assert.equal(r.records.length, 2);
    assert.deepEqual(r.records[1]!.cells, ['Which, with comma?', 'w', 'x', 'y', 'z', 'D']);
  });

  it('keeps a quote inside an unquoted field literal (RFC 4180): it does not swallow the rest of the file', () => {
    const r = read('h.csv');
    assert.deepEqual(
      r.records.map((x) => x.cells),
      [
        ['5" screen', 'yes'],
        ['x', 'y'],
      ],
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      parseCsv('a,b"c"d,"e"\n1,2,3').map((x) => x.cells),
      [
        ['a', 'b"c"d', 'e'],
        ['1', '2', '3'],
      ],
    );
  });

  it('says which line opens a quoted field that is never closed, instead of reading one giant cell', () => {
    assert.throws(() => read('i.csv'), /i\.csv: line 2: a quoted field opens here and is never closed/);
  });

  it('parses CSV rows with their starting line', () => {
    assert.deepEqual(parseCsv('a,"b\nc"\nd,e'), [
      { line: 1, cells: ['a', 'b\nc'] },
      { line: 3, cells: ['d', 'e'] },
    ]);
  });
});
