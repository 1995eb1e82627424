import { formatScore } from '../../common/report/matrix';
import type { ReportCell, ReportModel } from './model';

/** Scores read the same in reports as on the dashboard: `80.0 ± 1.2` for fractions, `7.85 ± 0.12` otherwise. */
export { formatScore };

/** What a cell shows in a table: the score, or why there is none. */
export function cellText(cell: ReportCell): string {
  switch (cell.status) {
    case 'scored':
      return formatScore(cell.value!, cell.stderr, cell.metric);
    case 'failed':
      // A failed task keeps the score of its result when it wrote one; else it has none to show.
      return cell.value !== undefined
        ? `FAILED (${formatScore(cell.value, cell.stderr, cell.metric)})`
        : 'FAILED (no result)';
    case 'no_result':
      return 'NO RESULT';
    default:
      return cell.status;
  }
}

export function formatTokensPerS(v: number | null): string {
  if (v === null) return '—';
  return v >= 100 ? `${Math.round(v).toLocaleString('en-US')} tok/s` : `${v.toFixed(1)} tok/s`;
}

export function formatGpuHours(v: number | null, gpus: number): string {
  if (gpus === 0) return v === null ? 'not counted (external server)' : '0 (no GPU)';
  if (v === null) return 'unknown';
  return v < 0.1 ? v.toFixed(3) : v.toFixed(2);
}

/** One line saying what the run is, shared by every format's title. */
export function runTitle(report: ReportModel): string {
  const name = report.run.name ?? report.run.category ?? report.run.runId;
  return report.run.selfCheck ? `SELF-CHECK RUN — ${name}` : name;
}

/** Cells that failed or have no result, with their reasons: every format lists them under the matrix. */
export function problemCells(report: ReportModel): ReportCell[] {
  return report.cells.filter((c) => c.status !== 'scored');
}
