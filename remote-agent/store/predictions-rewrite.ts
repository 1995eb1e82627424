import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PredictionSchema, type Prediction } from '../../src/common/run/records';
import { IndexColumns } from './index-columns';
import { forEachLineChunk } from './jsonl-chunks';
import { asPlainPrediction } from './prediction-shape';
import type { UnreadableLine } from './predictions';
import { loadIndex, recordOfValue, writeIndex } from './predictions-index';

/** What a task's result needs of each prediction: kept for every sample while the file streams through. */
export type ScoredPrediction = Pick<Prediction, 'id' | 'index' | 'verdict' | 'reason' | 'error' | 'passes' | 'details' | 'time'>;

export interface Rewritten {
  /** The current prediction of each sample, slimmed to what scoring summaries read, in file order. */
  scored: ScoredPrediction[];
  /** Lines that are not predictions: kept verbatim where they were, reported by line number. */
  unreadable: UnreadableLine[];
}

function slim(p: Prediction): ScoredPrediction {
  return { id: p.id, index: p.index, verdict: p.verdict, reason: p.reason, error: p.error, passes: p.passes, details: p.details, time: p.time };
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
export async function transformPredictions(file: string, transform: (p: Prediction) => Promise<Prediction> | Prediction): Promise<Rewritten> {
  const index = loadIndex(file);
  const current = new Uint8Array(index.cols.count);
  {
    const lastOf = new Map<number, number>();
    for (let i = 0; i < index.cols.count; i++) lastOf.set(index.cols.sampleIndexOf(i), i);
    for (const r of lastOf.values()) current[r] = 1;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'w');
  const cols = new IndexColumns();
  const scored: ScoredPrediction[] = [];
  const unreadable: UnreadableLine[] = [];
  let written = 0;
  let lineNo = 0;
  try {
    let next = 0;
    let record = 0;
    for (;;) {
      let chunk: { buf: Buffer; base: number } | undefined;
      forEachLineChunk(file, next, index.size, (buf, base) => {
        chunk = { buf: Buffer.from(buf), base };
        return false;
      });
      if (!chunk) break;
      const { buf, base } = chunk;
      let out = '';
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
        let line: string;
        let p: Prediction | undefined;
        if (parsed) {
          const t = transform(parsed);
          p = t instanceof Promise ? await t : t;
          scored.push(slim(p));
          line = JSON.stringify(p) + '\n';
        } else {
          unreadable.push({ line: lineNo, reason: unreadableReason(text), text });
          line = text + '\n';
        }
        const length = Buffer.byteLength(line);
        const r = p ? recordOfValue(p, written, length) : undefined;
        if (r) cols.push(r);
        written += length;
        out += line;
      }
      fs.writeSync(fd, out);
      next = base + buf.length;
    }
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, file);
  writeIndex(file, fs.statSync(file).ino, cols);
  return { scored, unreadable };
}
