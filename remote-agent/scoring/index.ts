import { datasetScorer, type Dataset, type ScorerName } from '../../src/common/catalog/dataset';
import type { Verdict } from '../../src/common/run/records';
import type { Sample } from '../datasets/types';
import { meanStderr, passAtK, proportionStderr } from './metrics';
import { reasonClass } from '../../src/common/run/reason-class';
import { scoreChoice } from './scorers/choice';
import { CodeExecutionScorer } from './scorers/code';
import { scoreExactMatch } from './scorers/exact-match';
import { scoreFunctionCall } from './scorers/function-call';
import { scoreInstructions } from './scorers/instruction';
import { scoreNeedsJudge } from './scorers/judge';
import { scoreNumeric } from './scorers/numeric';
import { scoreRefusal } from './scorers/refusal';
import { scoreYesNoMaybe } from './scorers/yes-no-maybe';
import type { Judgement, Scorer, Summary } from './types';

export type { Judgement, Scorer, Summary } from './types';
export { passAtK, proportionStderr } from './metrics';
export { reasonClass } from '../../src/common/run/reason-class';

export interface ScorerOptions {
  /** Python interpreter for code execution (a cluster profile's `python`); resolved once when absent. */
  python?: string;
  /** Where sandbox directories are made (default: the OS temp dir). */
  tmpRoot?: string;
  /** Wall-clock limit per code sample, seconds (default 10). */
  timeoutS?: number;
  /** Parallel sandbox workers (default: twice the cores available). */
  workers?: number;
}

/** The metric a dataset reports: pass@1 for code, accuracy otherwise. */
export function metricName(dataset: Dataset): string {
  const s = datasetScorer(dataset);
  return s === 'code_execution' ? 'pass@1' : s === 'judge' ? 'judge score' : 'accuracy';
}

/** The scorer a dataset names (or its format's default). Call close() when done: it stops the code sandbox. */
export function createScorer(dataset: Dataset, opts: ScorerOptions = {}): Scorer {
  const name: ScorerName = datasetScorer(dataset);
  if (name === 'code_execution') {
    const code = new CodeExecutionScorer({ python: opts.python, tmpRoot: opts.tmpRoot, workers: opts.workers, limits: opts.timeoutS ? { timeoutS: opts.timeoutS } : undefined });
    return { name, score: (s, o) => code.score(s, o), close: () => code.close(), isolation: () => code.isolation() };
  }
  const fns: Record<Exclude<ScorerName, 'code_execution'>, (s: Sample, o: string) => Judgement> = {
    exact_match: scoreExactMatch,
    numeric: scoreNumeric,
    choice: scoreChoice,
    function_call: scoreFunctionCall,
    instruction: scoreInstructions,
    judge: scoreNeedsJudge,
    yes_no_maybe: scoreYesNoMaybe,
    refusal: scoreRefusal,
  };
  const fn = fns[name];
  const scoreSync = (s: Sample, o: string): Judgement => {
    try {
      return fn(s, o);
    } catch (e) {
      return { verdict: 'error', reason: `scorer failure: ${(e as Error).message}` };
    }
  };
  return { name, score: (s, o) => Promise.resolve(scoreSync(s, o)), scoreSync, close: () => Promise.resolve() };
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
    return { n, passed, failed, errors, metric: opts.metric ?? 'accuracy', value, stderr: proportionStderr(value, n), reasons };
  }
  const perProblem = items.map((it) => ({ n: it.passes?.length ?? 1, c: it.passes ? it.passes.filter(Boolean).length : it.verdict === 'pass' ? 1 : 0 }));
  const minN = Math.min(...perProblem.map((p) => p.n));
  const passAtKs: Record<string, number> = {};
  for (const k of [1, 5, 10, 20, 50, 100]) {
    if (k > minN) break;
    passAtKs[`pass@${k}`] = perProblem.reduce((a, p) => a + passAtK(p.n, p.c, k), 0) / n;
  }
  const value = passAtKs['pass@1'] ?? 0;
  return { n, passed, failed, errors, metric: opts.metric ?? 'pass@1', value, stderr: meanStderr(perProblem.map((p) => p.c / p.n)), passAtK: passAtKs, reasons };
}
