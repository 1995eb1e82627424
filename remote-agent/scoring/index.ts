import { datasetScorer, type Dataset, type ScorerName } from '../../common/catalog/dataset';
import { SCORERS } from '../../common/catalog/scorers';
import type { Verdict } from '../../common/run/records';
import { ScoreTally } from './score-tally';
import { SCORER_IMPLEMENTATIONS, type ScorerOptions } from './registry';
import type { Scorer, Summary } from './types';

export type { Judgement, Scorer, Summary } from './types';
export type { ScorerOptions } from './registry';
export { passAtK, proportionStderr } from './metrics';
export { ScoreTally } from './score-tally';
export { reasonClass } from '../../common/run/reason-class';

/** The metric a dataset reports: pass@1 for code, accuracy otherwise (its scorer's row in SCORERS). */
export function metricName(dataset: Dataset): string {
  return SCORERS[datasetScorer(dataset)].metric;
}

/** The scorer a dataset names (or its format's default). Call close() when done: it stops the code sandbox. */
export function createScorer(dataset: Dataset, opts: ScorerOptions = {}): Scorer {
  const name: ScorerName = datasetScorer(dataset);
  return { name, ...SCORER_IMPLEMENTATIONS[name].create(opts) };
}

/** A judgement or a prediction line: what summarize needs. `passes` holds one verdict per completion for pass@k. */
export interface Scored {
  verdict?: Verdict;
  reason?: string;
  passes?: boolean[];
}

/**
 * Aggregates one verdict per sample: accuracy (or pass@1) with its standard error, pass/fail/error counts, counts per
 * kind of reason for everything that did not pass, and unbiased pass@k when samples have several completions.
 */
export function summarize(items: Scored[], opts: { metric?: string } = {}): Summary {
  const tally = new ScoreTally();
  for (const it of items) tally.add(it.verdict, it.reason ?? 'not scored', it.passes);
  return tally.summary(opts.metric);
}
