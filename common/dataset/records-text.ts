import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { looksLikeHeader, parseCsv } from './csv';
import { parseJsonLine } from './json-line';

/** One record of a data file and the line it starts on (1-based). CSV rows also keep their cells in order. */
export interface RawRecord {
  line: number;
  value: Record<string, unknown>;
  cells?: string[];
}

/** A line of a data file that is not a record, and why. */
export interface RecordProblem {
  file: string;
  line: number;
  message: string;
}

export interface ReadResult {
  records: RawRecord[];
  problems: RecordProblem[];
}

/** The data file's format, by its name without .gz: how its text is read into records. */
export type RecordFileKind = 'csv' | 'json' | 'jsonl';

export function recordFileKind(file: string): RecordFileKind {
  const base = file.replace(/\.gz$/i, '');
  if (/\.csv$/i.test(base)) return 'csv';
  if (/\.json$/i.test(base)) return 'json';
  return 'jsonl';
}

/** Records given one at a time as they are read; `problems` is complete once they have all been taken. */
export interface RecordStream {
  records: Iterable<RawRecord>;
  problems: RecordProblem[];
}

/**
 * The records of a data file's (decompressed) text: .jsonl, .json (an array, or JSON lines despite the name), .csv.
 * Broken lines are reported and skipped. A CSV whose quoted field never closes throws CsvError. Pure: the agent
 * reads datasets with it and the extension maps the lines of an open dataset file to sample ids with it.
 */
export function recordsFromText(raw: string, file: string): ReadResult {
  const stream = recordStreamFromText(raw, file);
  const records = [...stream.records];
  return { records, problems: stream.problems };
}

/**
 * recordsFromText one record at a time: JSON lines are parsed as they are taken, so a large file's records need
 * not all be in memory at once (CSV and JSON arrays are read whole first).
 */
export function recordStreamFromText(raw: string, file: string): RecordStream {
  const text = raw.replace(/^\uFEFF/, '');
  const kind = recordFileKind(file);
  if (kind === 'csv') return readCsv(text, file);
  if (kind === 'json' && text.trimStart().startsWith('[')) return readJsonArray(text, file);
  const problems: RecordProblem[] = [];
  return { records: jsonLineRecords(text, file, problems), problems };
}

function* jsonLineRecords(text: string, file: string, problems: RecordProblem[]): Generator<RawRecord> {
  for (let start = 0, line = 1; ; line++) {
    const nl = text.indexOf('\n', start);
    const parsed = parseJsonLine(text.slice(start, nl < 0 ? text.length : nl));
    if (parsed && 'problem' in parsed) problems.push({ file, line, message: parsed.problem });
    else if (parsed) yield { line, value: parsed.value };
    if (nl < 0) return;
    start = nl + 1;
  }
}

function readJsonArray(text: string, file: string): ReadResult {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lineOf = lineIndex(text);
  const problems: RecordProblem[] = [];
  const records: RawRecord[] = [];
  const elements: Node[] = tree?.type === 'array' ? (tree.children ?? []) : [];
  const errorIn = (node: Node): ParseError | undefined =>
    errors.find((e) => e.offset >= node.offset && e.offset < node.offset + node.length);
  for (const node of elements) {
    const line = lineOf(node.offset);
    const err = errorIn(node);
    if (err) {
      problems.push({ file, line: lineOf(err.offset), message: 'invalid JSON in this array element' });
      continue;
    }
    if (node.type !== 'object') {
      problems.push({ file, line, message: 'expected a JSON object' });
      continue;
    }
    records.push({ line, value: nodeValue(node) as Record<string, unknown> });
  }
  const covered = new Set(problems.map((p) => p.line));
  for (const e of errors) {
    const line = lineOf(e.offset);
    if (!covered.has(line) && !elements.some((n) => e.offset >= n.offset && e.offset < n.offset + n.length))
      problems.push({ file, line, message: 'invalid JSON between array elements' });
  }
  return { records, problems };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) o[String(k.value)] = nodeValue(v);
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function readCsv(text: string, file: string): ReadResult {
  const rows = parseCsv(text);
  const first = rows[0];
  const header = first && rows.length > 1 && looksLikeHeader(first.cells) ? first.cells : undefined;
  const data = header ? rows.slice(1) : rows;
  const records: RawRecord[] = [];
  const problems: RecordProblem[] = [];
  for (const row of data) {
    if (header && row.cells.length !== header.length) {
      problems.push({ file, line: row.line, message: `expected ${header.length} columns, found ${row.cells.length}` });
      continue;
    }
    const value: Record<string, unknown> = {};
    row.cells.forEach((c, i) => (value[header?.[i] ?? String(i)] = c));
    records.push({ line: row.line, value, cells: row.cells });
  }
  return { records, problems };
}

/** offset → 1-based line number, by binary search over line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
