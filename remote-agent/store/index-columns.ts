import { RECORD_BYTES, type IndexRecord } from './predictions-index-format';

const F64_PER_RECORD = RECORD_BYTES / 8;
const U32_PER_RECORD = RECORD_BYTES / 4;

/**
 * An index's records in memory exactly as they are on disk (32 bytes each, file order), read through typed views:
 * loading is one copy of the file, and a million records hold 32 MB. Grows as lines arrive.
 */
export class IndexColumns {
  count = 0;
  private buffer = new ArrayBuffer(1024 * RECORD_BYTES);
  private capacity = 1024;
  private f64 = new Float64Array(this.buffer);
  private u32 = new Uint32Array(this.buffer);
  private u8 = new Uint8Array(this.buffer);

  offsetOf(i: number): number {
    return this.f64[i * F64_PER_RECORD]!;
  }
  lengthOf(i: number): number {
    return this.u32[i * U32_PER_RECORD + 2]!;
  }
  sampleIndexOf(i: number): number {
    return this.u32[i * U32_PER_RECORD + 3]!;
  }
  idHashOf(i: number): number {
    return this.u32[i * U32_PER_RECORD + 4]!;
  }
  reasonHashOf(i: number): number {
    return this.u32[i * U32_PER_RECORD + 5]!;
  }
  verdictOf(i: number): number {
    return this.u8[i * RECORD_BYTES + 24]!;
  }

  /** Byte offset after the last record's line: where the next line of the JSONL starts. */
  get end(): number {
    return this.count === 0 ? 0 : this.offsetOf(this.count - 1) + this.lengthOf(this.count - 1);
  }

  push(r: IndexRecord): void {
    this.reserve(this.count + 1);
    const i = this.count++;
    this.f64[i * F64_PER_RECORD] = r.offset;
    const u = i * U32_PER_RECORD;
    this.u32[u + 2] = r.length;
    this.u32[u + 3] = r.sampleIndex;
    this.u32[u + 4] = r.idHash;
    this.u32[u + 5] = r.reasonHash;
    this.u32[u + 6] = r.verdict;
    this.u32[u + 7] = 0;
  }

  /**
   * Columns over records already in memory (an index file read whole), viewed in place rather than copied: `buf`
   * must start on an 8-byte boundary and belong to this index alone. Only the records from the start that follow on
   * one another inside a file of `fileSize` bytes are taken (the same checks as pushEncoded); `count` says how many.
   */
  static view(buf: Uint8Array, records: number, fileSize: number): IndexColumns {
    const cols = new IndexColumns();
    if (buf.byteOffset % 8 !== 0 || records === 0) return cols;
    const buffer = buf.buffer as ArrayBuffer;
    const f64 = new Float64Array(buffer, buf.byteOffset, records * F64_PER_RECORD);
    const u32 = new Uint32Array(buffer, buf.byteOffset, records * U32_PER_RECORD);
    let end = 0;
    let j = 0;
    while (j < records) {
      const o = f64[j * F64_PER_RECORD]!;
      const len = u32[j * U32_PER_RECORD + 2]!;
      if (o !== end || len === 0 || o + len > fileSize) break;
      end = o + len;
      j++;
    }
    if (j === 0) return cols;
    cols.buffer = buffer;
    cols.capacity = records;
    cols.f64 = f64;
    cols.u32 = u32;
    cols.u8 = new Uint8Array(buffer, buf.byteOffset, records * RECORD_BYTES);
    cols.count = j;
    return cols;
  }

  /**
   * Appends the records stored in `buf` (RECORD_BYTES each) that follow on from the last one and lie inside a file of
   * `fileSize` bytes; a record further on leaves a gap that `onGap` may fill from the JSONL (false: stop there).
   */
  pushEncoded(buf: Buffer, records: number, fileSize: number, onGap: (from: number, to: number) => boolean): void {
    // Typed views need 8-byte alignment: a file read whole usually is, so it is read in place, else copied once.
    let aligned: Uint8Array = buf.subarray(0, records * RECORD_BYTES);
    if (aligned.byteOffset % 8 !== 0) aligned = Uint8Array.from(aligned);
    const f64 = new Float64Array(aligned.buffer, aligned.byteOffset, records * F64_PER_RECORD);
    const u32 = new Uint32Array(aligned.buffer, aligned.byteOffset, records * U32_PER_RECORD);
    let k = 0;
    while (k < records) {
      let end = this.end;
      const offset = f64[k * F64_PER_RECORD]!;
      if (offset > end) {
        // Lines the index skipped: ones written after a writer died between its two appends, or not predictions.
        if (offset >= fileSize || !Number.isInteger(offset) || !onGap(end, offset) || offset < this.end) return;
        end = offset;
      }
      // The run of records that follow on one another, checked in one tight loop and copied at once.
      let j = k;
      while (j < records) {
        const o = f64[j * F64_PER_RECORD]!;
        const len = u32[j * U32_PER_RECORD + 2]!;
        if (o !== end || len === 0 || o + len > fileSize) break;
        end = o + len;
        j++;
      }
      if (j === k) return;
      this.reserve(this.count + (j - k));
      this.u8.set(aligned.subarray(k * RECORD_BYTES, j * RECORD_BYTES), this.count * RECORD_BYTES);
      this.count += j - k;
      k = j;
    }
  }

  /** The records as stored on disk. */
  encoded(): Uint8Array {
    return this.u8.subarray(0, this.count * RECORD_BYTES);
  }

  /** The record whose line starts at `offset`, or -1 (offsets ascend in file order). */
  findByOffset(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.offsetOf(mid);
      if (v === offset) return mid;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Resident bytes of the records. */
  get bytes(): number {
    return this.capacity * RECORD_BYTES;
  }

  private reserve(n: number): void {
    if (n <= this.capacity) return;
    let cap = Math.max(1024, this.capacity);
    while (cap < n) cap *= 2;
    const next = new ArrayBuffer(cap * RECORD_BYTES);
    new Uint8Array(next).set(this.u8.subarray(0, this.count * RECORD_BYTES));
    this.buffer = next;
    this.capacity = cap;
    this.f64 = new Float64Array(next);
    this.u32 = new Uint32Array(next);
    this.u8 = new Uint8Array(next);
  }
}
