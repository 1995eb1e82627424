import type { ExtraMetric, Prediction } from '../../common/run/records';
import { meanStderr, proportionStderr } from '../scoring/metrics';
import { judgeDetailsOf, PASS_RATING } from './grade';

// "rated", not "rating": report formatting reads metrics named with "rating" as 1–10 scores, this one is a fraction.
export const JUDGE_PASS_RATE = `pass rate (rated ≥ ${PASS_RATING})`;

/** "rating, turn 2": MT-Bench reports each turn's mean beside the overall one. */
export function turnMetricName(turn: number): string {
  return `rating, turn ${turn + 1}`;
}

export interface JudgedMetrics {
  /** Mean rating (1–10) over the predictions the judge rated; errors are left out, not counted as zeros. */
  value: number;
  stderr: number;
  rated: number;
  extraMetrics: Record<string, ExtraMetric>;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** The judged task's metric: mean rating ± its standard error (per sample), pass rate and each turn's mean beside it. */
export function judgedMetrics(predictions: ReadonlyArray<Pick<Prediction, 'details' | 'verdict'>>): JudgedMetrics {
  const ratings: number[] = [];
  const byTurn: number[][] = [];
  for (const p of predictions) {
    const d = judgeDetailsOf(p);
    if (!d || typeof d.rating !== 'number' || p.verdict === 'error') continue;
    ratings.push(d.rating);
    d.ratings.forEach((r, turn) => {
      if (typeof r === 'number') (byTurn[turn] ??= []).push(r);
    });
  }
  const passRate = ratings.length ? ratings.filter((r) => r >= PASS_RATING).length / ratings.length : 0;
  const extraMetrics: Record<string, ExtraMetric> = {};
  if (ratings.length)
    extraMetrics[JUDGE_PASS_RATE] = {
      value: passRate,
      stderr: proportionStderr(passRate, ratings.length),
      n: ratings.length,
    };
  if (byTurn.length > 1)
    byTurn.forEach(
      (rs, turn) => (extraMetrics[turnMetricName(turn)] = { value: mean(rs), stderr: meanStderr(rs), n: rs.length }),
    );
  return { value: mean(ratings), stderr: meanStderr(ratings), rated: ratings.length, extraMetrics };
}
