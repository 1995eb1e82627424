import type { Dataset } from '../../common/catalog/dataset';
import type { Model } from '../../common/catalog/model';
import { isJudgedDataset } from '../../common/run/judge';
import type { JudgeSpec } from '../../common/run/request';

export interface JudgeCandidate {
  id: string;
  /** "Qwen/Qwen3-32B · 32B". */
  description: string;
  /** Also one of the models under evaluation: it would grade itself. */
  underEvaluation: boolean;
}

/** What the launch does about judges, before planning. */
export type JudgeDecision =
  | { kind: 'none' }
  | { kind: 'ask'; datasets: string[]; candidates: JudgeCandidate[] }
  | { kind: 'no-candidates'; datasets: string[]; message: string };

/** Pure: the selected datasets graded by a judge model that name none themselves, in the given order. */
export function datasetsNeedingJudge(datasets: Record<string, Dataset>, runJudge?: JudgeSpec): string[] {
  if (runJudge !== undefined) return [];
  return Object.entries(datasets)
    .filter(([, d]) => isJudgedDataset(d) && d.judge === undefined)
    .map(([id]) => id);
}

/**
 * Pure: whether to offer a judge, and which catalog models to offer. Base models (`chat: false`) are left out —
 * judge prompts are chat messages; models outside the run come first, larger first, so a model rarely grades itself.
 */
export function judgeDecision(
  models: Record<string, Model>,
  datasets: Record<string, Dataset>,
  evaluated: readonly string[],
  runJudge?: JudgeSpec,
): JudgeDecision {
  const needing = datasetsNeedingJudge(datasets, runJudge);
  if (!needing.length) return { kind: 'none' };
  const chatModels = Object.entries(models).filter(([, m]) => m.chat);
  const candidates = chatModels
    .sort(
      ([a, ma], [b, mb]) =>
        Number(evaluated.includes(a)) - Number(evaluated.includes(b)) ||
        (mb.params ?? 0) - (ma.params ?? 0) ||
        a.localeCompare(b),
    )
    .map(([id, m]): JudgeCandidate => ({
      id,
      description: [m.hf, m.params !== undefined ? `${m.params}B` : null].filter(Boolean).join(' · '),
      underEvaluation: evaluated.includes(id),
    }));
  const names = needing.map((d) => `"${d}"`).join(', ');
  if (!candidates.length) {
    return {
      kind: 'no-candidates',
      datasets: needing,
      message: `${names} ${needing.length === 1 ? 'is' : 'are'} graded by a judge model, but the catalog has no chat model to judge with: add one, or set "judge" on the dataset`,
    };
  }
  return { kind: 'ask', datasets: needing, candidates };
}
