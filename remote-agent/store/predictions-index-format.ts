/**
 * The binary layout of `predictions.idx`, the index beside a task's predictions.jsonl (see the run store section of
 * the README). A 32-byte header, then one 32-byte record per line of the JSONL, in file order:
 *
 *   header: magic "EBPIDX01" (8) · jsonl inode (f64) · reserved (16)
 *   record: line offset (f64) · line length incl. "\n" (u32) · sample index (u32) · FNV-1a of the id (u32) ·
 *           FNV-1a of the reason's class, 0 without a reason (u32) · verdict (u8: 0 none, 1 pass, 2 fail, 3 error) ·
 *           padding (7)
 *
 * Little-endian. The JSONL stays the source of truth: a record names a line, never replaces it, and readers check
 * the records against the file (see predictions-index.ts), so a torn or stale index costs time, never a wrong row.
 */
import type { Verdict } from '../../common/run/records';

export const INDEX_MAGIC = Buffer.from('EBPIDX01', 'latin1');
export const HEADER_BYTES = 32;
export const RECORD_BYTES = 32;

export interface IndexRecord {
  offset: number;
  length: number;
  sampleIndex: number;
  idHash: number;
  reasonHash: number;
  verdict: number;
}

const VERDICT_CODES: Record<Verdict, number> = { pass: 1, fail: 2, error: 3 };
const VERDICTS: ReadonlyArray<Verdict | undefined> = [undefined, 'pass', 'fail', 'error'];

export function verdictCode(v: unknown): number {
  return typeof v === 'string' && v in VERDICT_CODES ? VERDICT_CODES[v as Verdict] : 0;
}

export function verdictOf(code: number): Verdict | undefined {
  return VERDICTS[code];
}

/** 32-bit FNV-1a of a string's UTF-8 bytes; 0 is kept for "none", so a hash of 0 becomes 1. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  // ASCII (most ids and reasons) is its own UTF-8: hashed from the string, without encoding it into a buffer first.
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) break;
    h = Math.imul(h ^ c, 0x01000193) >>> 0;
  }
  if (i < text.length) {
    const bytes = Buffer.from(text.slice(i), 'utf8');
    for (let k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193) >>> 0;
  }
  return h === 0 ? 1 : h;
}

export function encodeHeader(jsonlIno: number): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  INDEX_MAGIC.copy(buf, 0);
  buf.writeDoubleLE(jsonlIno, 8);
  return buf;
}

/** The inode the index was written for, or undefined when the bytes are not an index header. */
export function decodeHeader(buf: Buffer): number | undefined {
  if (buf.length < HEADER_BYTES || !buf.subarray(0, 8).equals(INDEX_MAGIC)) return undefined;
  return buf.readDoubleLE(8);
}

export function encodeRecord(r: IndexRecord, into: Buffer = Buffer.alloc(RECORD_BYTES), at = 0): Buffer {
  into.writeDoubleLE(r.offset, at);
  into.writeUInt32LE(r.length, at + 8);
  into.writeUInt32LE(r.sampleIndex, at + 12);
  into.writeUInt32LE(r.idHash, at + 16);
  into.writeUInt32LE(r.reasonHash, at + 20);
  into.writeUInt8(r.verdict, at + 24);
  into.fill(0, at + 25, at + RECORD_BYTES);
  return into;
}
