import * as fs from 'fs';
import type { Dataset } from '../../src/common/catalog/dataset';
import { loadDatasetSync } from '../datasets';
import { createScorer, metricName, type Scored, type ScorerOptions } from './index';
import { buildReport, type SampleVerdict, type ScoreReport } from './report';

export interface PredictionLine {
  id: string;
  output: string;
  /** Several completions of one prompt, for pass@k. */
  outputs?: string[];
}

/** Reads a JSONL of {id, output} (or {id, outputs: [...]}); broken lines are reported with their number and skipped. */
export function readPredictions(file: string): { predictions: PredictionLine[]; problems: string[] } {
  return parsePredictions(fs.readFileSync(file, 'utf8'), file);
}

/** Predictions from JSON-lines text; `label` names where it came from in problems (a file, or stdin). */
export function parsePredictions(text: string, label: string): { predictions: PredictionLine[]; problems: string[] } {
  const predictions: PredictionLine[] = [];
  const problems: string[] = [];
  text
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const v = JSON.parse(line) as Record<string, unknown>;
        const id = v.id ?? v.task_id;
        const outputs = Array.isArray(v.outputs) ? v.outputs.filter((o): o is string => typeof o === 'string') : undefined;
        const output = typeof v.output === 'string' ? v.output : typeof v.completion === 'string' ? v.completion : outputs?.[0];
        if ((typeof id !== 'string' && typeof id !== 'number') || output === undefined) problems.push(`${label}:${i + 1}: expected {"id": …, "output": "…"}`);
        else predictions.push({ id: String(id), output, ...(outputs && outputs.length > 1 ? { outputs } : {}) });
      } catch (e) {
        problems.push(`${label}:${i + 1}: invalid JSON: ${(e as Error).message}`);
      }
    });
  return { predictions, problems };
}

/** Scores model outputs against a dataset: one verdict per prediction, pass@k when a prediction has several outputs. */
export async function scorePredictions(id: string, dataset: Dataset, predictions: PredictionLine[], opts: ScorerOptions & { root: string; chat?: boolean }, problems: string[] = []): Promise<ScoreReport> {
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
      scored.push({ verdict: first.verdict, reason: first.reason, ...(js.length > 1 ? { passes: js.map((j) => j.verdict === 'pass') } : {}) });
      for (const j of js) if (typeof j.details?.sandbox === 'string') sandbox = j.details.sandbox;
    }
    const missing = loaded.samples.length - new Set(known.map((p) => p.id)).size;
    if (missing > 0) problems.push(`${missing} sample${missing === 1 ? ' has' : 's have'} no prediction (not counted)`);
  } finally {
    await scorer.close();
  }
  return buildReport(id, metricName(dataset), samples, scored, problems, sandbox);
}
