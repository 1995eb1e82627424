import { datasetScorer, type Dataset } from '../catalog/dataset';
import type { Model } from '../catalog/model';
import type { JudgeSpec, RunRequest } from './request';

/** Who grades a judged dataset: a catalog model (the job starts its engine, or reaches its URL) or a server at a URL. */
export type ResolvedJudge =
  { kind: 'model'; id: string; model: Model } | { kind: 'endpoint'; url: string; model: string };

/** Datasets graded by a judge model rather than a rule. */
export function isJudgedDataset(d: Dataset): boolean {
  return datasetScorer(d) === 'judge';
}

/** The judge named for a dataset: the run's, else the dataset's own `judge`. */
export function judgeSpecFor(runJudge: JudgeSpec | undefined, dataset: Pick<Dataset, 'judge'>): JudgeSpec | undefined {
  return runJudge ?? dataset.judge;
}

/** The catalog models that judge the given datasets (ids the catalog does not know are left out: the plan reports them). */
export function judgeModelsFor(
  models: Record<string, Model>,
  datasets: readonly Dataset[],
  runJudge?: JudgeSpec,
): Record<string, Model> {
  const out: Record<string, Model> = {};
  for (const d of datasets) {
    if (!isJudgedDataset(d)) continue;
    const spec = judgeSpecFor(runJudge, d);
    if (typeof spec === 'string' && models[spec]) out[spec] = models[spec];
  }
  return out;
}

/** `qwen3-32b`, or `gpt-4o @ https://api.example.com/v1` for an endpoint. */
export function judgeLabel(j: ResolvedJudge): string {
  return j.kind === 'model' ? j.id : `${j.model} @ ${j.url}`;
}

export type JudgeResolution = { ok: true; judge: ResolvedJudge } | { ok: false; reason: string };

/** The judge of a dataset in a self-contained request: its entry from `judges` (or `models`, a model judging itself). */
export function resolveJudge(
  request: Pick<RunRequest, 'judge' | 'judges' | 'models' | 'datasets'>,
  datasetId: string,
): JudgeResolution {
  const dataset = request.datasets[datasetId];
  if (!dataset) return { ok: false, reason: `dataset "${datasetId}" is not in the run request` };
  const spec = judgeSpecFor(request.judge, dataset);
  if (spec === undefined)
    return { ok: false, reason: `needs a judge: dataset "${datasetId}" names no "judge" model and the run names none` };
  if (typeof spec !== 'string') return { ok: true, judge: { kind: 'endpoint', url: spec.url, model: spec.model } };
  const model = request.judges?.[spec] ?? request.models[spec];
  if (!model)
    return {
      ok: false,
      reason: `judge model "${spec}" is not in the run request (its catalog entry did not travel with it)`,
    };
  if (!model.chat)
    return {
      ok: false,
      reason: `judge model "${spec}" is not a chat model ("chat": false): judge prompts are chat messages`,
    };
  return { ok: true, judge: { kind: 'model', id: spec, model } };
}
