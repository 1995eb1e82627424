import * as fs from 'fs';
import * as path from 'path';
import { PredictionSchema, type Prediction } from '../../common/run/records';
import { writeFileAtomic } from './atomic';
import { dropTornTail, readCompleteLines } from './jsonl';
import { appendIndexRecord, loadIndex, recordOfLine, writeIndex } from './predictions-index';
import { IndexColumns } from './index-columns';

/** A complete line of predictions.jsonl that is not a prediction: corrupted on disk or written by something else. */
export interface UnreadableLine {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
  /** The line as it is in the file, kept verbatim when the file is rewritten. */
  text: string;
}

export interface PredictionsRead {
  /** One prediction per sample id, the last line written for it winning, in order of the samples' first line. */
  predictions: Prediction[];
  /** Lines that could not be read as predictions (skipped). */
  invalid: number;
  unreadable: UnreadableLine[];
}

function parseLine(text: string): { prediction: Prediction } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { reason: `invalid JSON (${(err as Error).message})` };
  }
  const parsed = PredictionSchema.safeParse(value);
  if (parsed.success) return { prediction: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    reason: `not a prediction (${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'schema mismatch'})`,
  };
}

/**
 * Reads predictions.jsonl. A torn last line (no newline: its writer died) is ignored and redone by the next run;
 * any other line that is not a prediction is returned in `unreadable` with its line number, so callers report it
 * and count its sample as not scored instead of dropping it silently.
 */
export function readPredictions(file: string): PredictionsRead {
  const { lines } = readCompleteLines(file, 0);
  const byId = new Map<string, Prediction>();
  const unreadable: UnreadableLine[] = [];
  for (const line of lines) {
    const parsed = parseLine(line.text);
    if ('reason' in parsed) {
      unreadable.push({ line: line.line, reason: parsed.reason, text: line.text });
      continue;
    }
    const p = parsed.prediction;
    byId.delete(p.id);
    byId.set(p.id, p);
  }
  const predictions = [...byId.values()].sort((a, b) => a.index - b.index);
  return { predictions, invalid: unreadable.length, unreadable };
}

/** `predictions.jsonl:7: invalid JSON (…)` for each unreadable line, at most `max` of them, then how many more. */
export function describeUnreadable(file: string, unreadable: UnreadableLine[], max = 5): string {
  const shown = unreadable.slice(0, max).map((u) => `${file}:${u.line}: ${u.reason}`);
  if (unreadable.length > max) shown.push(`and ${unreadable.length - max} more`);
  return shown.join('; ');
}

/**
 * Opens a task's predictions for appending by its one writer (the job): a torn last line, left by a job killed
 * mid-write, is cut so the sample is redone and the file stays one JSON value per line. The index beside it
 * (predictions.idx) is brought up to date first and then gets one record after each line.
 */
export function openPredictionsForAppend(file: string): {
  existing: Prediction[];
  dropBytes: number;
  append: (p: Prediction) => void;
} {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const dropBytes = dropTornTail(file);
  const { predictions } = readPredictions(file);
  const index = loadIndex(file, 'never');
  if (index.source !== 'index') writeIndex(file, index.ino || fs.statSync(ensureFile(file)).ino, index.cols);
  let end = index.size;
  return {
    existing: predictions,
    dropBytes,
    append: (p) => {
      const line = JSON.stringify(PredictionSchema.parse(p)) + '\n';
      if (line.indexOf('\n') !== line.length - 1) throw new Error('a JSON line may not contain a raw newline');
      const bytes = Buffer.from(line, 'utf8');
      fs.appendFileSync(file, bytes);
      const record = recordOfLine(line, end, bytes.length);
      end += bytes.length;
      if (record) appendIndexRecord(file, record);
    },
  };
}

function ensureFile(file: string): string {
  fs.closeSync(fs.openSync(file, 'a'));
  return file;
}

/**
 * Replaces the whole file at once (re-scoring): readers see the old verdicts or the new, never a mix; then its
 * index. Unreadable lines are kept verbatim, first: a rewrite never loses what it could not read.
 */
export function rewritePredictions(file: string, predictions: Prediction[], keep: UnreadableLine[] = []): void {
  const cols = new IndexColumns();
  const kept = keep.map((u) => u.text + '\n').join('');
  let offset = Buffer.byteLength(kept);
  const lines = predictions.map((p) => {
    const line = JSON.stringify(p) + '\n';
    const length = Buffer.byteLength(line);
    const record = recordOfLine(line, offset, length);
    if (record) cols.push(record);
    offset += length;
    return line;
  });
  writeFileAtomic(file, kept + lines.join(''));
  writeIndex(file, fs.statSync(file).ino, cols);
}

/** Distinct samples in predictions.jsonl and how many passed, from its index (status is asked often). */
export function countPredictions(file: string): { done: number; passed: number } {
  return countCurrent(loadIndex(file).cols);
}

function countCurrent(cols: IndexColumns): { done: number; passed: number } {
  let max = -1;
  for (let i = 0; i < cols.count; i++) max = Math.max(max, cols.sampleIndexOf(i));
  if (max < 4 * cols.count + 1_000_000) {
    // Sample indices are dense (a job's own file): a byte per sample (verdict + 1; 0 unseen), not a Map of a million.
    const last = new Uint8Array(max + 1);
    for (let i = 0; i < cols.count; i++) last[cols.sampleIndexOf(i)] = cols.verdictOf(i) + 1;
    let done = 0;
    let passed = 0;
    for (let s = 0; s <= max; s++) {
      if (last[s] !== 0) done++;
      if (last[s] === 2) passed++;
    }
    return { done, passed };
  }
  const verdictBySample = new Map<number, number>();
  for (let i = 0; i < cols.count; i++) verdictBySample.set(cols.sampleIndexOf(i), cols.verdictOf(i));
  let passed = 0;
  for (const v of verdictBySample.values()) if (v === 1) passed++;
  return { done: verdictBySample.size, passed };
}
