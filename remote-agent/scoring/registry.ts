import type { ScorerName } from '../../common/catalog/scorers';
import type { ExtraMetric, Prediction } from '../../common/run/records';
import { judgedMetrics } from '../judge/summary';
import { safetyMetrics } from './extra-metrics';
import { scoreChoice } from './scorers/choice';
import { CodeExecutionScorer } from './scorers/code';
import { scoreExactMatch } from './scorers/exact-match';
import { scoreFunctionCall } from './scorers/function-call';
import { scoreInstructions } from './scorers/instruction';
import { scoreNeedsJudge } from './scorers/judge';
import { scoreNumeric } from './scorers/numeric';
import { scoreRefusal } from './scorers/refusal';
import { scoreYesNoMaybe } from './scorers/yes-no-maybe';
import type { Sample } from '../datasets/types';
import type { Judgement, Scorer } from './types';

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

/** What a task's predictions add to its pass/fail summary: another main value (a mean rating) and metrics beside it. */
export interface Aggregate {
  value?: number;
  stderr?: number;
  extraMetrics: Record<string, ExtraMetric>;
}

export interface ScorerImplementation {
  create(opts: ScorerOptions): Omit<Scorer, 'name'>;
  /** Beyond the pass rate (see SCORERS' `aggregation`): absent for scorers that report only that. */
  aggregate?(predictions: ReadonlyArray<Pick<Prediction, 'details' | 'verdict'>>): Aggregate;
}

/** A rule scorer: a pure function of sample and output; a throw is the sample's error, not the task's. */
function rule(fn: (s: Sample, o: string) => Judgement): ScorerImplementation['create'] {
  return () => {
    const scoreSync = (s: Sample, o: string): Judgement => {
      try {
        return fn(s, o);
      } catch (e) {
        return { verdict: 'error', reason: `scorer failure: ${(e as Error).message}` };
      }
    };
    return { score: (s, o) => Promise.resolve(scoreSync(s, o)), scoreSync, close: () => Promise.resolve() };
  };
}

/** The agent's half of each SCORERS row (common/catalog/scorers.ts): its code. */
export const SCORER_IMPLEMENTATIONS: Record<ScorerName, ScorerImplementation> = {
  exact_match: { create: rule(scoreExactMatch) },
  code_execution: {
    create: (opts) => {
      const code = new CodeExecutionScorer({
        python: opts.python,
        tmpRoot: opts.tmpRoot,
        workers: opts.workers,
        limits: opts.timeoutS ? { timeoutS: opts.timeoutS } : undefined,
      });
      return { score: (s, o) => code.score(s, o), close: () => code.close(), isolation: () => code.isolation() };
    },
  },
  numeric: { create: rule(scoreNumeric) },
  choice: { create: rule(scoreChoice) },
  function_call: { create: rule(scoreFunctionCall) },
  instruction: { create: rule(scoreInstructions) },
  // Mean rating ± its standard error; pass/fail (rating ≥ 7) still counts verdicts, errors are not zeros.
  judge: { create: rule(scoreNeedsJudge), aggregate: (p) => judgedMetrics(p) },
  yes_no_maybe: { create: rule(scoreYesNoMaybe) },
  refusal: { create: rule(scoreRefusal), aggregate: (p) => ({ extraMetrics: safetyMetrics(p) }) },
};
