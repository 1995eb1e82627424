import { datasetScorer, type Dataset, type ScorerName } from '../../common/catalog/dataset';
import { SCORERS } from '../../common/catalog/scorers';
import type { Verdict } from '../../common/run/records';
import { meanStderr, passAtK, proportionStderr } from './metrics';
import { reasonClass } from '../../common/run/reason-class';
import { SCORER_IMPLEMENTATIONS, type ScorerOptions } from './registry';
import type { Scorer, Summary } from './types';

export type { Judgement, Scorer, Summary } from './types';
export type { ScorerOptions } from './registry';
export { passAtK, proportionStderr } from './metrics';
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
  const n = items.length;
  let passed = 0;
  let failed = 0;
  let errors = 0;
  const reasons: Record<string, number> = {};
  for (const it of items) {
    const verdict = it.verdict ?? 'error';
    if (verdict === 'pass') passed++;
    else {
      if (verdict === 'fail') failed++;
      else errors++;
      const key = reasonClass(it.reason ?? 'not scored');
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
  }
  const multi = items.some((it) => (it.passes?.length ?? 0) > 1);
  if (!multi) {
    const value = n ? passed / n : 0;
    return {
      n,
      passed,
      failed,
      errors,
      metric: opts.metric ?? 'accuracy',
      value,
      stderr: proportionStderr(value, n),
      reasons,
    };
  }
  const perProblem = items.map((it) => ({
    n: it.passes?.length ?? 1,
    c: it.passes ? it.passes.filter(Boolean).length : it.verdict === 'pass' ? 1 : 0,
  }));
  const minN = Math.min(...perProblem.map((p) => p.n));
  const passAtKs: Record<string, number> = {};
  for (const k of [1, 5, 10, 20, 50, 100]) {
    if (k > minN) break;
    passAtKs[`pass@${k}`] = perProblem.reduce((a, p) => a + passAtK(p.n, p.c, k), 0) / n;
  }
  const value = passAtKs['pass@1'] ?? 0;
  return {
    n,
    passed,
    failed,
    errors,
    metric: opts.metric ?? 'pass@1',
    value,
    stderr: meanStderr(perProblem.map((p) => p.c / p.n)),
    passAtK: passAtKs,
    reasons,
  };
}
