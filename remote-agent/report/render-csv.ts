import { csvField } from '../../common/report/export';
import { EFFICIENCY_CSV_COLUMNS, efficiencyCsvValues } from './efficiency';
import type { ReportModel } from './model';

const COLUMNS = [
  'run_id',
  'self_check',
  'model',
  'dataset',
  'status',
  'metric',
  'value',
  'stderr',
  'best',
  'n',
  'passed',
  'failed',
  'errors',
  'output_tok_s',
  'gpu_hours',
  'reason',
] as const;

/** One row per model × dataset (long format, for spreadsheets and pandas), RFC 4180 quoting. */
export function renderCsv(report: ReportModel): string {
  const withEfficiency = (report.efficiency?.length ?? 0) > 0;
  const lines = [[...COLUMNS, ...(withEfficiency ? EFFICIENCY_CSV_COLUMNS : [])].join(',')];
  for (const c of report.cells) {
    const stats = report.modelStats.find((s) => s.model === c.model);
    const row: Record<(typeof COLUMNS)[number], string | number | boolean | undefined | null> = {
      run_id: report.run.runId,
      self_check: report.run.selfCheck,
      model: c.model,
      dataset: c.dataset,
      status: c.status,
      metric: c.metric,
      value: c.value,
      stderr: c.stderr,
      best: c.best,
      n: c.n,
      passed: c.passed,
      failed: c.failed,
      errors: c.errors,
      output_tok_s:
        stats?.outputTokensPerS === null || stats === undefined ? undefined : round(stats.outputTokensPerS, 3),
      gpu_hours: stats?.gpuHours === null || stats === undefined ? undefined : round(stats.gpuHours, 4),
      reason: c.reason,
    };
    const extra = withEfficiency
      ? efficiencyCsvValues(report.efficiency!.find((e) => e.model === c.model && e.dataset === c.dataset)?.efficiency)
      : [];
    lines.push([...COLUMNS.map((k) => csvValue(row[k])), ...extra.map(csvValue)].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvValue(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? csvField(v) : String(v);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
