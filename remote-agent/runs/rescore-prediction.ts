import type { Dataset } from '../../common/catalog/dataset';
import { isJudgedDataset } from '../../common/run/judge';
import type { Prediction } from '../../common/run/records';
import type { Sample } from '../datasets/types';
import { rejudgeFromDetails } from '../judge/grade';
import type { Scorer } from '../scoring';
import { scorePrediction, scorePredictionSync } from '../work/score-prediction';

/**
 * How one prediction of a task is scored again: its verdict, reason, extraction and pass@k verdicts dropped and
 * judged anew from what was generated. A scorer that runs no code judges in line (no promise per row), which is what
 * lets a re-score of a million predictions run at the rate of the scorer; code runs in the sandbox, awaited.
 */
export function rescorerOf(
  scorer: Scorer,
  sampleOf: (p: Prediction) => Sample | undefined,
  dataset: Dataset,
): (p: Prediction) => Prediction | Promise<Prediction> {
  const judged = isJudgedDataset(dataset);
  const scoreSync = judged ? undefined : scorer.scoreSync;
  return (p) => {
    const sample = sampleOf(p);
    if (!sample) return { ...p, verdict: 'error', reason: `sample ${p.id} is no longer in ${dataset.path}` };
    // Scoring builds the new prediction from the generated fields alone: the old verdict, reason, extraction and
    // pass@k verdicts are not read.
    if (scoreSync) return scorePredictionSync(scorer, scoreSync, sample, p);
    if (!judged) return scorePrediction(scorer, sample, p);
    const { verdict: _v, reason: _r, extracted: _e, passes: _p, ...generated } = p;
    if (p.error === undefined) {
      // A judge's ratings are re-read from the answers it gave (no judge runs here): parsing and threshold apply anew.
      const j = rejudgeFromDetails(p);
      return {
        ...generated,
        verdict: j.verdict,
        reason: j.reason,
        ...(j.extracted !== undefined ? { extracted: j.extracted } : {}),
        details: { ...p.details, ...j.details },
      };
    }
    return scorePrediction(scorer, sample, generated);
  };
}
