import { EFFICIENCY_HEADERS, efficiencyCells } from './efficiency';
import { EXTRA_METRICS_HEADERS, formatExtraMetric } from './extra-metrics';
import { cellText, formatGpuHours, formatTokensPerS, problemCells, runTitle } from './format';
import { cellAt, type ReportModel } from './model';

/** The score table for a terminal: aligned columns, `*` after the best of each dataset, problems listed below. */
export function renderText(report: ReportModel): string {
  const out: string[] = [];
  out.push(`${runTitle(report)}  (run ${plain(report.run.runId)}, ${report.run.state})`);
  if (report.selfCheckNote) out.push(report.selfCheckNote);
  out.push('');
  const header = ['model', ...report.datasets.map(plain)];
  const rows = report.models.map((m) => [
    plain(m),
    ...report.datasets.map((d) => {
      const c = cellAt(report, m, d);
      return c ? cellText(c) + (c.best && report.models.length > 1 ? ' *' : '') : '';
    }),
  ]);
  out.push(...alignedTable(header, rows));
  if (report.models.length > 1 && report.cells.some((c) => c.best)) out.push('* best of its dataset');
  if (report.extraMetrics?.length) {
    out.push('');
    out.push(
      ...alignedTable(
        [...EXTRA_METRICS_HEADERS],
        report.extraMetrics.map((r) => [
          plain(r.model),
          plain(r.dataset),
          plain(r.metrics.map(formatExtraMetric).join(' · ')),
        ]),
      ),
    );
  }
  out.push('');
  out.push(
    ...alignedTable(
      ['model', 'output tok/s', 'GPU-hours', 'samples', 'sample errors'],
      report.modelStats.map((s) => [
        plain(s.model),
        formatTokensPerS(s.outputTokensPerS),
        formatGpuHours(s.gpuHours, s.gpus),
        String(s.samples),
        String(s.sampleErrors),
      ]),
    ),
  );
  if (report.efficiency?.length) {
    out.push('');
    out.push(
      ...alignedTable(
        [...EFFICIENCY_HEADERS],
        report.efficiency.map((r) => efficiencyCells(r).map(plain)),
      ),
    );
  }
  const problems = problemCells(report);
  if (problems.length) {
    out.push('');
    out.push(`tasks without a score (${problems.length}):`);
    for (const c of problems)
      out.push(
        `  ${plain(c.model)} / ${plain(c.dataset)}: ${c.status.replace('_', ' ')}${c.reason ? ` — ${plain(c.reason)}` : ''}`,
      );
  }
  return out.join('\n') + '\n';
}

function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Run-supplied text on a terminal: control characters (escape sequences) are shown, never executed. */
export function plain(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) =>
    c === '\n' || c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
