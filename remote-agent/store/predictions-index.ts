import * as fs from 'fs';
import * as path from 'path';
import { reasonClass } from '../../common/run/reason-class';
import { writeFileAtomic } from './atomic';
import { IndexColumns } from './index-columns';
import { forEachLineChunk, readRange } from './jsonl-chunks';
import {
  HEADER_BYTES,
  RECORD_BYTES,
  decodeHeader,
  encodeHeader,
  encodeRecord,
  fnv1a,
  verdictCode,
  type IndexRecord,
} from './predictions-index-format';

/** `predictions.idx` beside `predictions.jsonl`. */
export function indexFileOf(jsonl: string): string {
  return path.join(path.dirname(jsonl), path.basename(jsonl, '.jsonl') + '.idx');
}

/** The index record of one JSONL line, or undefined when the line is not a prediction (it is then not indexed). */
export function recordOfLine(text: string, offset: number, length: number): IndexRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return recordOfValue(value, offset, length);
}

/** The index record of a prediction about to be written as the line at `offset` of `length` bytes. */
export function recordOfValue(value: unknown, offset: number, length: number): IndexRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { id, index, verdict, reason } = value as Record<string, unknown>;
  if (
    typeof id !== 'string' ||
    typeof index !== 'number' ||
    !Number.isInteger(index) ||
    index < 0 ||
    index > 0xffffffff
  )
    return undefined;
  return {
    offset,
    length,
    sampleIndex: index,
    idHash: fnv1a(id),
    reasonHash: typeof reason === 'string' && reason ? fnv1a(reasonClass(reason)) : 0,
    verdict: verdictCode(verdict),
  };
}

/** Indexes the whole lines of `file` in [from, to); returns how many lines were not predictions. */
function indexLines(cols: IndexColumns, file: string, from: number, to: number): number {
  let invalid = 0;
  forEachLineChunk(file, from, to, (buf, base) => {
    let start = 0;
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
      const text = buf.toString('utf8', start, i);
      if (text.trim() !== '') {
        const r = recordOfLine(text, base + start, i + 1 - start);
        if (r) cols.push(r);
        else invalid++;
      }
      start = i + 1;
    }
  });
  return invalid;
}

export interface LoadedIndex {
  cols: IndexColumns;
  /** The JSONL's inode and size when it was indexed. */
  ino: number;
  size: number;
  mtimeMs: number;
  /** Lines of the JSONL that are not predictions (never indexed; parsed again on each load). */
  invalid: number;
  /** How the index file served: whole, extended from the JSONL (a job still appending, or a torn index), or rebuilt. */
  source: 'index' | 'index+tail' | 'rebuilt' | 'none';
}

function readIndexFile(file: string): Buffer | undefined {
  try {
    // Read into a buffer of its own (not Node's shared pool, not zero-filled first), so its records can be viewed in place.
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.allocUnsafeSlow(size);
      let read = 0;
      while (read < size) {
        const n = fs.readSync(fd, buf, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      return buf.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether a record names a line of the file as it is now: its bytes parse to the same sample id and index. */
export function recordMatchesLine(fd: number, cols: IndexColumns, i: number): boolean {
  const line = readRange(fd, cols.offsetOf(i), cols.lengthOf(i));
  if (line.length !== cols.lengthOf(i) || line[line.length - 1] !== 0x0a) return false;
  const r = recordOfLine(line.toString('utf8', 0, line.length - 1), 0, 0);
  return r !== undefined && r.idHash === cols.idHashOf(i) && r.sampleIndex === cols.sampleIndexOf(i);
}

/** Whether a line of the file starts at this byte offset. */
function startsLine(file: string, offset: number): boolean {
  if (offset === 0) return true;
  const fd = fs.openSync(file, 'r');
  try {
    return readRange(fd, offset - 1, 1)[0] === 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}

/** A few records spread over the file, checked against their lines: a JSONL rewritten in place fails here. */
function spotCheck(file: string, cols: IndexColumns): boolean {
  if (cols.count === 0) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const picks = new Set([0, cols.count - 1]);
    for (let k = 1; k < 16; k++) picks.add(Math.floor((cols.count * k) / 16));
    for (const i of picks) if (!recordMatchesLine(fd, cols, i)) return false;
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The index of a task's predictions.jsonl, read from predictions.idx and checked against the JSONL: records of
 * another file (a rewrite renamed in: another inode), records past the end, or records whose lines say otherwise
 * are thrown away and the JSONL indexed again; lines the index does not cover yet (a job appending, a writer killed
 * between its two appends) are indexed from the JSONL. `persist` writes a rebuilt index back (atomically): readers
 * pass it when the index was missing or stale, so the next reader pays nothing; only the file's writer extends it.
 */
export function loadIndex(jsonl: string, persist: 'rebuilt' | 'never' = 'rebuilt'): LoadedIndex {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(jsonl);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { cols: new IndexColumns(), ino: 0, size: 0, mtimeMs: 0, invalid: 0, source: 'none' };
  }
  const idxFile = indexFileOf(jsonl);
  const raw = readIndexFile(idxFile);
  let cols = new IndexColumns();
  let invalid = 0;
  let extended = false;
  let usable = raw !== undefined && decodeHeader(raw) === stat.ino;
  if (raw && usable) {
    const records = Math.floor((raw.length - HEADER_BYTES) / RECORD_BYTES);
    // The common case, an index whose records all follow on one another, is used where it was read; one with gaps
    // (lines a killed writer left unindexed, lines that are not predictions) is copied record by record.
    cols = IndexColumns.view(raw.subarray(HEADER_BYTES), records, stat.size);
    if (cols.count < records) cols = new IndexColumns();
    if (cols.count === 0) {
      cols.pushEncoded(raw.subarray(HEADER_BYTES), records, stat.size, (from, to) => {
        if (!startsLine(jsonl, to)) return false;
        const before = cols.count;
        invalid += indexLines(cols, jsonl, from, to);
        extended ||= cols.count > before;
        return true;
      });
    }
    if (cols.end > stat.size || !spotCheck(jsonl, cols)) {
      cols = new IndexColumns();
      invalid = 0;
      usable = false;
    }
  }
  if (cols.end < stat.size) {
    const before = cols.count;
    invalid += indexLines(cols, jsonl, cols.end, stat.size);
    extended ||= cols.count > before;
  }
  const source: LoadedIndex['source'] = !usable ? 'rebuilt' : extended ? 'index+tail' : 'index';
  if (source === 'rebuilt' && persist === 'rebuilt') writeIndex(jsonl, stat.ino, cols);
  return { cols, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, invalid, source };
}

/** Writes the whole index for the JSONL of inode `ino`, atomically; a failure to write (read-only store) is not fatal. */
export function writeIndex(jsonl: string, ino: number, cols: IndexColumns): void {
  const buf = Buffer.concat([encodeHeader(ino), cols.encoded()]);
  try {
    writeFileAtomic(indexFileOf(jsonl), buf);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw err;
  }
}

/** Appends one record to the index of the JSONL (after its line was appended there). */
export function appendIndexRecord(jsonl: string, record: IndexRecord): void {
  fs.appendFileSync(indexFileOf(jsonl), encodeRecord(record));
}
