import { isFraction } from '../../common/report/matrix';
import { formatScore } from './format';
import type { ReportCell, ReportModel } from './model';
import { plain } from './render-text';

export interface ScoreDifference {
  dataset: string;
  /** The model in each run: the same id when the runs share models; different when each run has a single model. */
  modelA: string;
  modelB: string;
  metric?: string;
  a: { value: number; stderr: number };
  b: { value: number; stderr: number };
  /** B − A. */
  difference: number;
  /** sqrt(seA² + seB²): the standard error of the difference of two independent estimates. */
  combinedStderr: number;
  /** |difference| > combinedStderr. */
  larger: boolean;
}

export interface Comparison {
  runA: { runId: string; selfCheck: boolean };
  runB: { runId: string; selfCheck: boolean };
  /** How cells were paired: by model and dataset, or by dataset alone when each run evaluated one different model. */
  pairing: 'model_and_dataset' | 'dataset';
  differences: ScoreDifference[];
  /** Pairs present in both runs where at least one side has no score, with why. */
  unscored: Array<{ dataset: string; modelA: string; modelB: string; why: string }>;
  onlyInA: string[];
  onlyInB: string[];
}

/** Per-dataset differences between two runs and which are larger than their combined standard error. */
export function compareReports(a: ReportModel, b: ReportModel): Comparison {
  const shared = a.models.filter((m) => b.models.includes(m));
  const pairing =
    shared.length === 0 && a.models.length === 1 && b.models.length === 1 ? 'dataset' : 'model_and_dataset';
  const pairs: Array<[ReportCell, ReportCell]> = [];
  const onlyInA: string[] = [];
  const matchedB = new Set<ReportCell>();
  for (const ca of a.cells) {
    const cb = b.cells.find((c) => c.dataset === ca.dataset && (pairing === 'dataset' || c.model === ca.model));
    if (cb) {
      pairs.push([ca, cb]);
      matchedB.add(cb);
    } else onlyInA.push(`${ca.model} / ${ca.dataset}`);
  }
  const onlyInB = b.cells.filter((c) => !matchedB.has(c)).map((c) => `${c.model} / ${c.dataset}`);
  const differences: ScoreDifference[] = [];
  const unscored: Comparison['unscored'] = [];
  for (const [ca, cb] of pairs) {
    if (ca.status !== 'scored' || cb.status !== 'scored') {
      const why = [
        ca.status !== 'scored' ? `A: ${ca.status.replace('_', ' ')}` : '',
        cb.status !== 'scored' ? `B: ${cb.status.replace('_', ' ')}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      unscored.push({ dataset: ca.dataset, modelA: ca.model, modelB: cb.model, why });
      continue;
    }
    const sa = ca.stderr ?? 0;
    const sb = cb.stderr ?? 0;
    const difference = cb.value! - ca.value!;
    const combinedStderr = Math.sqrt(sa * sa + sb * sb);
    differences.push({
      dataset: ca.dataset,
      modelA: ca.model,
      modelB: cb.model,
      metric: ca.metric ?? cb.metric,
      a: { value: ca.value!, stderr: sa },
      b: { value: cb.value!, stderr: sb },
      difference,
      combinedStderr,
      larger: Math.abs(difference) > combinedStderr,
    });
  }
  return {
    runA: { runId: a.run.runId, selfCheck: a.run.selfCheck },
    runB: { runId: b.run.runId, selfCheck: b.run.selfCheck },
    pairing,
    differences,
    unscored,
    onlyInA,
    onlyInB,
  };
}

export function renderComparison(c: Comparison): string {
  const label = (r: Comparison['runA']) => `${plain(r.runId)}${r.selfCheck ? ' (SELF-CHECK RUN)' : ''}`;
  const out = [`A: ${label(c.runA)}`, `B: ${label(c.runB)}`, ''];
  if (c.differences.length === 0) out.push('no dataset has a score in both runs');
  else {
    const rows = c.differences.map((d) => {
      // Differences in the unit the scores are shown in: percentage points for fractions.
      const pct = isFraction(d.a.value, d.metric) && isFraction(d.b.value, d.metric);
      const fmt = (x: number) => (pct ? (x * 100).toFixed(1) : x.toFixed(2));
      return [
        plain(d.dataset),
        d.modelA === d.modelB ? plain(d.modelA) : `${plain(d.modelA)} → ${plain(d.modelB)}`,
        formatScore(d.a.value, d.a.stderr, d.metric),
        formatScore(d.b.value, d.b.stderr, d.metric),
        `${d.difference >= 0 ? '+' : ''}${fmt(d.difference)}`,
        fmt(d.combinedStderr),
        d.larger ? 'yes' : 'no',
      ];
    });
    const header = ['dataset', 'model', 'A', 'B', 'B − A', 'combined se', '|B − A| > se'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((x, i) => x.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    out.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
    const larger = c.differences.filter((d) => d.larger).length;
    out.push(
      '',
      `${larger} of ${c.differences.length} difference${c.differences.length === 1 ? ' is' : 's are'} larger than their combined standard error (fractions in percentage points)`,
    );
  }
  for (const u of c.unscored)
    out.push(
      `not compared: ${plain(u.modelA)}${u.modelA === u.modelB ? '' : ` → ${plain(u.modelB)}`} / ${plain(u.dataset)} (${plain(u.why)})`,
    );
  if (c.onlyInA.length) out.push(`only in A: ${c.onlyInA.map(plain).join(', ')}`);
  if (c.onlyInB.length) out.push(`only in B: ${c.onlyInB.map(plain).join(', ')}`);
  return out.join('\n') + '\n';
}
