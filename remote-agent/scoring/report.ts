import type { Verdict } from '../../common/run/records';
import { summarize, type Scored } from './index';

export interface SampleVerdict {
  id: string;
  verdict: Verdict;
  reason: string;
  /** Self-check runs each prompt mode: "completion" or "chat". */
  mode?: string;
}

/** What `score --json` and `selfcheck --json` print: one object. */
export interface ScoreReport {
  dataset: string;
  n: number;
  passed: number;
  metric: string;
  value: number;
  stderr: number;
  reasons: Record<string, number>;
  samples: SampleVerdict[];
  failed: number;
  errors: number;
  passAtK?: Record<string, number>;
  /** Lines of the input that could not be used, and other warnings. */
  problems: string[];
  /** How isolated the code sandbox was, when weaker than it could be. */
  sandbox?: string;
}

export function buildReport(
  dataset: string,
  metric: string,
  samples: SampleVerdict[],
  scored: Scored[],
  problems: string[],
  sandbox?: string,
): ScoreReport {
  const s = summarize(scored, { metric });
  return {
    dataset,
    n: s.n,
    passed: s.passed,
    metric: s.metric,
    value: s.value,
    stderr: s.stderr,
    reasons: s.reasons,
    samples,
    failed: s.failed,
    errors: s.errors,
    ...(s.passAtK ? { passAtK: s.passAtK } : {}),
    problems,
    ...(sandbox ? { sandbox } : {}),
  };
}

/** A short human report: the score, reasons by count, then each sample that did not pass. */
export function renderReport(r: ScoreReport, title: string, listFailures = true): string {
  const pct = (x: number): string => (100 * x).toFixed(1);
  const lines = [
    `${title} ${r.dataset}: ${r.metric} ${pct(r.value)}% ± ${pct(r.stderr)} (${r.passed}/${r.n} passed, ${r.failed} failed, ${r.errors} errors)`,
  ];
  if (r.passAtK)
    lines.push(
      `  ${Object.entries(r.passAtK)
        .map(([k, v]) => `${k} ${pct(v)}%`)
        .join(', ')}`,
    );
  const reasons = Object.entries(r.reasons).sort((a, b) => b[1] - a[1]);
  const notPassed = r.n - r.passed;
  for (const [reason, count] of reasons)
    lines.push(
      `  ${String(count).padStart(5)}  ${reason}${notPassed ? ` (${Math.round((100 * count) / notPassed)}% of the rest)` : ''}`,
    );
  if (listFailures)
    for (const s of r.samples.filter((x) => x.verdict !== 'pass'))
      lines.push(`  ${s.verdict.toUpperCase()} ${s.id}${s.mode ? ` [${s.mode}]` : ''}: ${s.reason}`);
  for (const p of r.problems) lines.push(`  ! ${p}`);
  if (r.sandbox) lines.push(`  note: ${r.sandbox}`);
  return lines.join('\n') + '\n';
}
