import * as fs from 'fs';
import * as path from 'path';
import { PredictionSchema, type Prediction } from '../../src/common/run/records';
import { writeFileAtomic } from './atomic';
import { appendJsonLine, dropTornTail, readCompleteLines } from './jsonl';

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
  return { reason: `not a prediction (${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'schema mismatch'})` };
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
 * mid-write, is cut so the sample is redone and the file stays one JSON value per line.
 */
export function openPredictionsForAppend(file: string): { existing: Prediction[]; dropBytes: number; append: (p: Prediction) => void } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const dropBytes = dropTornTail(file);
  const { predictions } = readPredictions(file);
  return { existing: predictions, dropBytes, append: (p) => appendJsonLine(file, PredictionSchema.parse(p)) };
}

/**
 * Replaces the whole file at once (re-scoring): readers see the old verdicts or the new, never a mix. Unreadable
 * lines are kept verbatim, first: a rewrite never loses what it could not read.
 */
export function rewritePredictions(file: string, predictions: Prediction[], keep: UnreadableLine[] = []): void {
  writeFileAtomic(file, [...keep.map((u) => u.text + '\n'), ...predictions.map((p) => JSON.stringify(p) + '\n')].join(''));
}

/** Distinct samples in predictions.jsonl and how many passed, without validating every line (status is asked often). */
export function countPredictions(file: string): { done: number; passed: number } {
  const { lines } = readCompleteLines(file, 0);
  const verdicts = new Map<string, unknown>();
  for (const line of lines) {
    try {
      const p = JSON.parse(line.text) as { id?: unknown; verdict?: unknown };
      if (typeof p.id === 'string') verdicts.set(p.id, p.verdict);
    } catch {
      // Counted by nobody: readPredictions reports unreadable lines.
    }
  }
  let passed = 0;
  for (const v of verdicts.values()) if (v === 'pass') passed++;
  return { done: verdicts.size, passed };
}
