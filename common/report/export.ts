import { formatScore, type MatrixCell, type ScoreMatrix } from './matrix';

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is made inert with a leading quote. */
export function csvField(text: string): string {
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

function csvNumber(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '' : String(Math.round(x * 1e6) / 1e6);
}

/** One row per model; per dataset its value and its standard error; a failed task reads FAILED. */
export function matrixToCsv(m: ScoreMatrix): string {
  const header = ['model', ...m.datasets.flatMap((d) => [d, `${d} stderr`])].map(csvField);
  const rows = m.models.map((model, i) => [
    csvField(model),
    ...m.cells[i]!.flatMap((c) => (c.failed ? ['FAILED', ''] : [csvNumber(c.value), csvNumber(c.stderr)])),
  ]);
  return [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

/** Escapes what Markdown (and the HTML it allows) would interpret, and keeps a cell on one line. */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n|\r/g, ' ');
}

function markdownCell(c: MatrixCell): string {
  if (c.failed)
    return `**FAILED**${c.reason ? `: ${markdownText(c.reason.length > 80 ? `${c.reason.slice(0, 79)}…` : c.reason)}` : ''}`;
  if (c.value === undefined)
    return c.state === 'running' || c.state === 'queued' || c.state === 'pending' ? `_${c.state}_` : '—';
  const text = formatScore(c.value, c.stderr, c.metric);
  return c.best ? `**${text}**` : text;
}

/** A GitHub-flavoured table: models × datasets, best per dataset in bold, failures spelled out. */
export function matrixToMarkdown(m: ScoreMatrix, title?: string): string {
  const head = [
    'model',
    ...m.datasets.map((d) => (m.metrics[d] ? `${markdownText(d)} (${markdownText(m.metrics[d]!)})` : markdownText(d))),
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...m.models.map((model, i) => `| ${[markdownText(model), ...m.cells[i]!.map(markdownCell)].join(' | ')} |`),
  ];
  const out = title ? [`## ${markdownText(title)}`, '', ...lines] : lines;
  return out.join('\n') + '\n\n_value ± standard error; percentages for fractions; best per dataset in bold._\n';
}
