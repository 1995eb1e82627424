import * as fs from 'fs';
import * as zlib from 'zlib';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { CsvError, looksLikeHeader, parseCsv } from './csv';
import { DatasetError } from './errors';
import type { LoadProblem } from './types';

/** One record of a data file and the line it starts on (1-based). CSV rows also keep their cells in order. */
export interface RawRecord {
  line: number;
  value: Record<string, unknown>;
  cells?: string[];
}

export interface ReadResult {
  records: RawRecord[];
  problems: LoadProblem[];
}

/** Reads .jsonl, .json (an array, or JSON lines despite the name), .csv and their .gz forms. Broken lines are reported and skipped. */
export function readRecords(file: string): ReadResult {
  let bytes = fs.readFileSync(file);
  const base = file.replace(/\.gz$/i, '');
  if (file.toLowerCase().endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (/\.csv$/i.test(base)) return readCsv(text, file);
  if (/\.json$/i.test(base) && text.trimStart().startsWith('[')) return readJsonArray(text, file);
  return readJsonLines(text, file);
}

function readJsonLines(text: string, file: string): ReadResult {
  const records: RawRecord[] = [];
  const problems: LoadProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    try {
      const value: unknown = JSON.parse(line);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) problems.push({ file, line: i + 1, message: 'expected a JSON object' });
      else records.push({ line: i + 1, value: value as Record<string, unknown> });
    } catch (e) {
      problems.push({ file, line: i + 1, message: `invalid JSON: ${(e as Error).message}` });
    }
  });
  return { records, problems };
}

function readJsonArray(text: string, file: string): ReadResult {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lineOf = lineIndex(text);
  const problems: LoadProblem[] = [];
  const records: RawRecord[] = [];
  const elements: Node[] = tree?.type === 'array' ? (tree.children ?? []) : [];
  const errorIn = (node: Node): ParseError | undefined => errors.find((e) => e.offset >= node.offset && e.offset < node.offset + node.length);
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
    if (!covered.has(line) && !elements.some((n) => e.offset >= n.offset && e.offset < n.offset + n.length)) problems.push({ file, line, message: 'invalid JSON between array elements' });
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
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new DatasetError(`${file}: ${e.message}`);
    throw e;
  }
  const first = rows[0];
  const header = first && rows.length > 1 && looksLikeHeader(first.cells) ? first.cells : undefined;
  const data = header ? rows.slice(1) : rows;
  const records: RawRecord[] = [];
  const problems: LoadProblem[] = [];
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
