import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PredictionSchema, type Prediction } from '../../common/run/records';
import { IndexColumns } from './index-columns';
import { lineChunks } from './jsonl-chunks';
import { asPlainPrediction } from './prediction-shape';
import { samePrediction } from './same-prediction';
import type { UnreadableLine } from './predictions';
import { loadIndex, recordOfValue, writeIndex } from './predictions-index';

export interface Rewritten {
  /** Predictions written: the current one of each sample, transformed. */
  written: number;
  /** Lines that are not predictions: kept verbatim where they were, reported by line number. */
  unreadable: UnreadableLine[];
}

/** The line's prediction; `verbatim` when the line is that prediction as it is (no key stripped or reordered). */
function parsePrediction(text: string): { prediction: Prediction; verbatim: boolean } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const plain = asPlainPrediction(value);
  if (plain) return { prediction: plain, verbatim: plain === value };
  const parsed = PredictionSchema.safeParse(value).data;
  return parsed && { prediction: parsed, verbatim: false };
}

function unreadableReason(text: string): string {
  try {
    const parsed = PredictionSchema.safeParse(JSON.parse(text));
    const issue = parsed.error?.issues[0];
    return `not a prediction (${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'schema mismatch'})`;
  } catch (err) {
    return `invalid JSON (${(err as Error).message})`;
  }
}

/**
 * Rewrites a task's predictions.jsonl through `transform` (re-scoring), streaming: a few megabytes of lines are read,
 * transformed and written to a temporary file at a time, and the new file and its index are renamed in at the end,
 * so readers see the old verdicts or the new, never a mix, and a million predictions never sit in memory at once.
 * Only each sample's current line (the last written for it) is kept; lines that are not predictions stay as they are,
 * even where a later line of their sample superseded them.
 * `onWritten` sees each new prediction in file order (a task's tally), so none needs to be kept.
 */
export async function transformPredictions(
  file: string,
  transform: (p: Prediction) => Promise<Prediction> | Prediction,
  onWritten?: (p: Prediction) => void,
): Promise<Rewritten> {
  const index = loadIndex(file);
  const current = latestOfEachSample(index.cols);
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`,
  );
  const out = new LineWriter(fs.openSync(temp, 'w'));
  const cols = new IndexColumns();
  let written = 0;
  const unreadable: UnreadableLine[] = [];
  let lineNo = 0;
  try {
    let record = 0;
    for (const { buf, offset: base } of lineChunks(file, 0, index.size)) {
      let start = 0;
      for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
        const text = buf.toString('utf8', start, i);
        const offset = base + start;
        start = i + 1;
        lineNo++;
        if (text.trim() === '') continue;
        while (record < index.cols.count && index.cols.offsetOf(record) < offset) record++;
        const indexed = record < index.cols.count && index.cols.offsetOf(record) === offset;
        const parsed = indexed ? parsePrediction(text) : undefined;
        // An earlier prediction of a sample written again is dropped; an earlier line that is not a prediction is
        // kept and reported like any other, never lost without a word.
        if (parsed && !current[record]) continue;
        if (!parsed) {
          unreadable.push({ line: lineNo, reason: unreadableReason(text), text });
          out.line(text);
          continue;
        }
        const t = transform(parsed.prediction);
        const p = t instanceof Promise ? await t : t;
        written++;
        onWritten?.(p);
        const at = out.written;
        // A prediction the transform left as it was keeps its line (one JSON.stringify less per unchanged row).
        const line = parsed.verbatim && samePrediction(parsed.prediction, p) ? text : JSON.stringify(p);
        const r = recordOfValue(p, at, out.line(line));
        if (r) cols.push(r);
      }
      // What was handed to the disk while this chunk was transformed is written before the next is read.
      await out.drain();
    }
    await out.finish();
  } catch (err) {
    await out.abandon();
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.renameSync(temp, file);
  writeIndex(file, fs.statSync(file).ino, cols);
  return { written, unreadable };
}

/** Marks the record of each sample's last line (the line a reader shows for it): a byte per record. */
function latestOfEachSample(cols: IndexColumns): Uint8Array {
  const current = new Uint8Array(cols.count);
  let max = -1;
  for (let i = 0; i < cols.count; i++) max = Math.max(max, cols.sampleIndexOf(i));
  if (max < 4 * cols.count + 1_000_000) {
    // Sample indices are dense (a job's own file): the last record of each in an array, not a Map of a million.
    const last = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < cols.count; i++) last[cols.sampleIndexOf(i)] = i;
    for (const r of last) if (r >= 0) current[r] = 1;
    return current;
  }
  const lastOf = new Map<number, number>();
  for (let i = 0; i < cols.count; i++) lastOf.set(cols.sampleIndexOf(i), i);
  for (const r of lastOf.values()) current[r] = 1;
  return current;
}

/**
 * Lines written into a large buffer, and each full buffer written to the file while the next fills (the disk's time
 * overlaps the transform's), each line's length in bytes known.
 */
class LineWriter {
  private buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  /** Buffers whose write is done, to fill again (fresh ones would cost the kernel a page fault per page). */
  private readonly free: Buffer[] = [];
  private used = 0;
  /** The writes handed to the disk so far, in order; rejects with the first error. */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Bytes written so far (the offset of the next line). */
  written = 0;

  constructor(private readonly fd: number) {}

  /** Appends `text` and a newline; returns the line's length in bytes. */
  line(text: string): number {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const most = text.length * 3 + 1;
    if (this.used + most > this.buf.length) {
      this.flush();
      if (most > this.buf.length) this.buf = Buffer.allocUnsafe(most);
    }
    const n = this.buf.write(text, this.used, 'utf8');
    this.buf[this.used + n] = 0x0a;
    this.used += n + 1;
    this.written += n + 1;
    return n + 1;
  }

  /** Hands the filled buffer to the disk and goes on in a new one. */
  private flush(): void {
    if (this.used === 0) return;
    const full = this.buf;
    const data = full.subarray(0, this.used);
    this.writing = this.writing.then(async () => {
      await writeAll(this.fd, data);
      if (full.length === BUFFER_BYTES) this.free.push(full);
    });
    // Handled here so a failure waits for drain() or finish() to be thrown, not as an unhandled rejection.
    this.writing.catch(() => undefined);
    this.buf = this.free.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
  }

  /** Waits until what was handed to the disk is written. */
  drain(): Promise<void> {
    return this.writing;
  }

  /** Writes what is left, syncs and closes the file. */
  async finish(): Promise<void> {
    this.flush();
    await this.writing;
    await fsyncAsync(this.fd);
    await this.abandon();
  }

  /** Closes the file, written or not (once), once no write is in flight. */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing.catch(() => undefined);
    fs.closeSync(this.fd);
  }
}

const BUFFER_BYTES = 4 << 20;

async function writeAll(fd: number, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length;) done += await writeAsync(fd, data, done, data.length - done);
}

function writeAsync(fd: number, data: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, data, offset, length, null, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
}
