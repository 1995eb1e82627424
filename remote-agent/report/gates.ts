import type { Comparison } from './compare';
import type { ReportModel } from './model';
import { plain } from './render-text';

/**
 * `report --min-score X`: every task of the run must have a score of at least X. A task without a score (failed,
 * cancelled, still running) misses the gate too: CI must not pass on a run that did not produce its numbers.
 * Returns one line per task that misses it; none when the gate holds.
 */
export function tasksBelow(report: ReportModel, minScore: number): string[] {
  const misses: string[] = [];
  for (const c of report.cells) {
    const task = `${plain(c.model)} / ${plain(c.dataset)}`;
    if (c.status !== 'scored' || c.value === undefined)
      misses.push(`${task}: no score (${c.status.replace('_', ' ')}${c.reason ? `: ${plain(c.reason)}` : ''})`);
    else if (c.value < minScore) misses.push(`${task}: ${c.metric ?? 'score'} ${round(c.value)} is below ${minScore}`);
  }
  return misses;
}

/**
 * `compare --fail-on-regression`: B (the candidate) is worse than A (the baseline) where it scores lower by more
 * than the combined standard error of the two scores, or where A has a score and B has none. Every metric we report
 * is higher-is-better. Returns one line per regression.
 */
export function regressions(c: Comparison): string[] {
  const out: string[] = [];
  for (const d of c.differences) {
    if (d.larger && d.difference < 0)
      out.push(
        `${plain(d.modelB)} / ${plain(d.dataset)}: ${d.metric ?? 'score'} ${round(d.b.value)} ± ${round(d.b.stderr)} in B against ${round(d.a.value)} ± ${round(d.a.stderr)} in A (B − A = ${round(d.difference)}, beyond the combined standard error ${round(d.combinedStderr)})`,
      );
  }
  for (const u of c.unscored)
    if (!u.why.startsWith('A:') && u.why.startsWith('B:'))
      out.push(`${plain(u.modelB)} / ${plain(u.dataset)}: no score in B (${plain(u.why)})`);
  return out;
}

/** `0.8`, `80%`: a score threshold as a fraction. */
export function parseThreshold(text: string): number | undefined {
  const t = text.trim();
  const pct = t.endsWith('%');
  const n = Number(pct ? t.slice(0, -1) : t);
  if (t === '' || t === '%' || !Number.isFinite(n)) return undefined;
  return pct ? n / 100 : n;
}

function round(x: number): string {
  return String(Number(x.toFixed(4)));
}
