import type { Prediction, Verdict } from '../../common/run/records';
import { reasonClass } from '../../common/run/reason-class';
import { meanStderr, passAtK, proportionStderr } from './metrics';
import type { Summary } from './types';

/** One class of error reasons: how many, the first reason seen, and whether every reason of the class was that one. */
interface ErrorClass {
  count: number;
  example: string;
  same: boolean;
}

/**
 * A task's verdicts counted as they arrive, so a million predictions are summarised without being kept: the
 * counts, the reasons by class, the commonest class of error, and per sample only two small numbers for pass@k.
 * Arithmetic happens in the order the verdicts came, so a summary is the same to the last bit however it was fed.
 * `aggregated` keeps each verdict and its details, for scorers whose metrics need them (judge ratings, refusals).
 */
export class ScoreTally {
  n = 0;
  passed = 0;
  failed = 0;
  errors = 0;
  readonly reasons: Record<string, number> = {};
  private readonly errorClasses = new Map<string, ErrorClass>();
  /** Completions and passing completions of each sample, in order (pass@k when a sample has several). */
  private readonly completions: number[] = [];
  private readonly correct: number[] = [];
  private multi = false;
  readonly aggregated?: Array<Pick<Prediction, 'details' | 'verdict'>>;

  constructor(keepForAggregate = false) {
    if (keepForAggregate) this.aggregated = [];
  }

  /**
   * Counts one sample's verdict (undefined counts as an error). `reason` is what explains it (its class is counted
   * unless it passed); `details` and the verdict as given are kept only for an aggregate.
   */
  add(verdict: Verdict | undefined, reason: string, passes?: boolean[], details?: Record<string, unknown>): void {
    this.n++;
    const v = verdict ?? 'error';
    if (v === 'pass') this.passed++;
    else {
      const key = reasonClass(reason);
      this.reasons[key] = (this.reasons[key] ?? 0) + 1;
      if (v === 'fail') this.failed++;
      else {
        this.errors++;
        const cls = this.errorClasses.get(key);
        if (!cls) this.errorClasses.set(key, { count: 1, example: reason, same: true });
        else {
          cls.count++;
          if (cls.same && reason !== cls.example) cls.same = false;
        }
      }
    }
    if (passes) {
      let c = 0;
      for (const b of passes) if (b) c++;
      this.completions.push(passes.length);
      this.correct.push(c);
      if (passes.length > 1) this.multi = true;
    } else {
      this.completions.push(1);
      this.correct.push(verdict === 'pass' ? 1 : 0);
    }
    this.aggregated?.push({ details, verdict });
  }

  /** Accuracy (or pass@1) with its standard error and the counts; unbiased pass@k when samples have several completions. */
  summary(metric?: string): Summary {
    const { n, passed, failed, errors, reasons } = this;
    if (!this.multi) {
      const value = n ? passed / n : 0;
      return {
        n,
        passed,
        failed,
        errors,
        metric: metric ?? 'accuracy',
        value,
        stderr: proportionStderr(value, n),
        reasons,
      };
    }
    const minN = Math.min(...this.completions);
    const passAtKs: Record<string, number> = {};
    for (const k of [1, 5, 10, 20, 50, 100]) {
      if (k > minN) break;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += passAtK(this.completions[i]!, this.correct[i]!, k);
      passAtKs[`pass@${k}`] = sum / n;
    }
    const value = passAtKs['pass@1'] ?? 0;
    return {
      n,
      passed,
      failed,
      errors,
      metric: metric ?? 'pass@1',
      value,
      stderr: meanStderr(this.completions.map((m, i) => this.correct[i]! / m)),
      passAtK: passAtKs,
      reasons,
    };
  }

  /** `(N×): reason` for the commonest class of error: the reason itself when all N agree, else the class and one example. */
  commonestError(): string {
    let top: [string, ErrorClass] | undefined;
    // Of classes with the highest count, the one seen first wins, as a stable sort by count would pick it.
    for (const entry of this.errorClasses) if (!top || entry[1].count > top[1].count) top = entry;
    if (!top) return '(0×): unknown';
    const [cls, { count, example, same }] = top;
    return same ? `(${count}×): ${example}` : `(${count}×): ${cls}, e.g. ${example}`;
  }
}
