import * as fs from 'fs';
import type { Dataset } from '../../common/catalog/dataset';
import { loadDatasetSync } from '../datasets';
import { createScorer, metricName, type Scored, type ScorerOptions } from './index';
import { buildReport, type SampleVerdict, type ScoreReport } from './report';

export interface PredictionLine {
  id: string;
  output: string;
  /** Several completions of one prompt, for pass@k. */
  outputs?: string[];
  /** 1-based line in the predictions file. */
  line?: number;
}

/**
 * Reads a JSONL of {id, output} (or {id, outputs: [...]}); broken lines are reported with their number and skipped.
 * Ids are compared as strings, so `1` and `"1"` are the same sample.
 */
export function readPredictions(file: string): { predictions: PredictionLine[]; problems: string[] } {
  return parsePredictions(fs.readFileSync(file, 'utf8'), file);
}

/** Predictions from JSON-lines text; `label` names where it came from in problems (a file, or stdin). */
export function parsePredictions(text: string, label: string): { predictions: PredictionLine[]; problems: string[] } {
  const predictions: PredictionLine[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const v = JSON.parse(line) as Record<string, unknown>;
      const id = v.id ?? v.task_id;
      const outputs = Array.isArray(v.outputs)
        ? v.outputs.filter((o): o is string => typeof o === 'string')
        : undefined;
      const output =
        typeof v.output === 'string' ? v.output : typeof v.completion === 'string' ? v.completion : outputs?.[0];
      if ((typeof id !== 'string' && typeof id !== 'number') || output === undefined)
        problems.push(`${label}:${i + 1}: expected {"id": …, "output": "…"}`);
      else
        predictions.push({
          id: String(id),
          output,
          ...(outputs && outputs.length > 1 ? { outputs } : {}),
          line: i + 1,
        });
    } catch (e) {
      problems.push(`${label}:${i + 1}: invalid JSON: ${(e as Error).message}`);
    }
  });
  return { predictions, problems };
}

export class DuplicatePredictionsError extends Error {}

/**
 * Refuses predictions that name one sample more than once: which line counts would be a guess, and counting each
 * would score one answer many times (100 copies of one pass are not 100 passes). The message names every such id
 * (the first ten) with its lines. Several completions of one prompt belong in one line's "outputs".
 */
export function assertUniqueIds(predictions: PredictionLine[]): void {
  const lines = new Map<string, number[]>();
  predictions.forEach((p, i) => lines.set(p.id, [...(lines.get(p.id) ?? []), p.line ?? i + 1]));
  const dups = [...lines.entries()].filter(([, at]) => at.length > 1);
  if (!dups.length) return;
  const shown = dups
    .slice(0, 10)
    .map(
      ([id, at]) =>
        `${JSON.stringify(id)} (${at.length}×, lines ${at.slice(0, 5).join(', ')}${at.length > 5 ? ', …' : ''})`,
    );
  const more = dups.length > 10 ? `, and ${dups.length - 10} more ids` : '';
  throw new DuplicatePredictionsError(
    `${dups.length} sample id${dups.length === 1 ? ' appears' : 's appear'} more than once: ${shown.join(', ')}${more}; give each sample one line (several completions go in one line's "outputs": [...])`,
  );
}

/** Scores model outputs against a dataset: one verdict per prediction, pass@k when a prediction has several outputs. */
export async function scorePredictions(
  id: string,
  dataset: Dataset,
  predictions: PredictionLine[],
  opts: ScorerOptions & { root: string; chat?: boolean },
  problems: string[] = [],
): Promise<ScoreReport> {
  assertUniqueIds(predictions);
  const loaded = loadDatasetSync(dataset, { root: opts.root, chat: opts.chat ?? false });
  problems.push(...loaded.problems.map((p) => `${p.file}:${p.line}: ${p.message}`));
  const byId = new Map(loaded.samples.map((s) => [s.id, s]));
  const scorer = createScorer(dataset, opts);
  const samples: SampleVerdict[] = [];
  const scored: Scored[] = [];
  let sandbox: string | undefined;
  try {
    const known = predictions.filter((p) => {
      if (!byId.has(p.id)) problems.push(`prediction for unknown sample id "${p.id}"`);
      return byId.has(p.id);
    });
    const results = await Promise.all(
      known.map(async (p) => {
        const sample = byId.get(p.id)!;
        const outputs = p.outputs ?? [p.output];
        const js = await Promise.all(outputs.map((o) => scorer.score(sample, o)));
        return { p, js };
      }),
    );
    for (const { p, js } of results) {
      const first = js[0]!;
      samples.push({ id: p.id, verdict: first.verdict, reason: first.reason });
      scored.push({
        verdict: first.verdict,
        reason: first.reason,
        ...(js.length > 1 ? { passes: js.map((j) => j.verdict === 'pass') } : {}),
      });
      for (const j of js) if (typeof j.details?.sandbox === 'string') sandbox = j.details.sandbox;
    }
    const missing = loaded.samples.length - new Set(known.map((p) => p.id)).size;
    if (missing > 0) problems.push(`${missing} sample${missing === 1 ? ' has' : 's have'} no prediction (not counted)`);
  } finally {
    await scorer.close();
  }
  return buildReport(id, metricName(dataset), samples, scored, problems, sandbox);
}
