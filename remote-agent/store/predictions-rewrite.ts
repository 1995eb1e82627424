import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PredictionSchema, type Prediction } from '../../common/run/records';
import { IndexColumns } from './index-columns';
import { lineChunks } from './jsonl-chunks';
import { asPlainPrediction } from './prediction-shape';
import type { UnreadableLine } from './predictions';
import { loadIndex, recordOfValue, writeIndex } from './predictions-index';

/** What a task's result needs of each prediction: kept for every sample while the file streams through. */
export type ScoredPrediction = Pick<
  Prediction,
  'id' | 'index' | 'verdict' | 'reason' | 'error' | 'passes' | 'details' | 'time'
>;

export interface Rewritten {
  /** The current prediction of each sample, slimmed to what scoring summaries read, in file order. */
  scored: ScoredPrediction[];
  /** Lines that are not predictions: kept verbatim where they were, reported by line number. */
  unreadable: UnreadableLine[];
}

function slim(p: Prediction): ScoredPrediction {
  return {
    id: p.id,
    index: p.index,
    verdict: p.verdict,
    reason: p.reason,
    error: p.error,
    passes: p.passes,
    details: p.details,
    time: p.time,
  };
}

function parsePrediction(text: string): Prediction | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return asPlainPrediction(value) ?? PredictionSchema.safeParse(value).data;
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
 * Only each sample's current line (the last written for it) is kept; lines that are not predictions stay as they are.
 */
export async function transformPredictions(
  file: string,
  transform: (p: Prediction) => Promise<Prediction> | Prediction,
): Promise<Rewritten> {
  const index = loadIndex(file);
  const current = latestOfEachSample(index.cols);
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`,
  );
  const out = new LineWriter(fs.openSync(temp, 'w'));
  const cols = new IndexColumns();
  const scored: ScoredPrediction[] = [];
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
        if (indexed && !current[record]) continue;
        const parsed = indexed ? parsePrediction(text) : undefined;
        if (!parsed) {
          unreadable.push({ line: lineNo, reason: unreadableReason(text), text });
          out.line(text);
          continue;
        }
        const t = transform(parsed);
        const p = t instanceof Promise ? await t : t;
        scored.push(slim(p));
        const at = out.written;
        const r = recordOfValue(p, at, out.line(JSON.stringify(p)));
        if (r) cols.push(r);
      }
    }
    out.finish();
  } catch (err) {
    out.abandon();
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.renameSync(temp, file);
  writeIndex(file, fs.statSync(file).ino, cols);
  return { scored, unreadable };
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

/** Lines written into one large buffer and to the file a few megabytes at a time, each line's length in bytes known. */
class LineWriter {
  private buf = Buffer.allocUnsafe(4 << 20);
  private used = 0;
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

  private flush(): void {
    for (let done = 0; done < this.used;) done += fs.writeSync(this.fd, this.buf, done, this.used - done);
    this.used = 0;
  }

  /** Writes what is left, syncs and closes the file. */
  finish(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    this.abandon();
  }

  /** Closes the file, written or not (once). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
