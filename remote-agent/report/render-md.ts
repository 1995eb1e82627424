import { markdownText as md } from '../../common/report/export';
import { EFFICIENCY_HEADERS, efficiencyCells } from './efficiency';
import { EXTRA_METRICS_HEADERS, EXTRA_METRICS_NOTE, formatExtraMetric } from './extra-metrics';
import { cellText, formatGpuHours, formatTokensPerS, problemCells, runTitle } from './format';
import { cellAt, type ReportModel } from './model';

/** A Markdown report: score matrix (best per dataset in bold), per-model throughput, failures, provenance. */
export function renderMarkdown(report: ReportModel): string {
  const out: string[] = [];
  const p = report.provenance;
  out.push(`# evalbench report: ${md(runTitle(report))}`, '');
  if (report.selfCheckNote) out.push(`> **${md(report.selfCheckNote)}**`, '');
  out.push(
    `Run \`${code(report.run.runId)}\` · state **${report.run.state}** · created ${md(report.run.createdAt)} · cluster ${md(report.run.clusterId)} (${md(report.run.target)}) · engine ${md(report.run.engine)}`,
    '',
  );

  out.push('## Scores', '');
  out.push(
    row([
      'model',
      ...report.datasets.map((d) => {
        const column = report.columns.find((c) => c.dataset === d);
        const metric = column?.metric ? `${column.metric}${column.judge ? `, judge ${column.judge}` : ''}` : undefined;
        return metric ? `${md(d)} (${md(metric)})` : md(d);
      }),
    ]),
  );
  out.push(row(['---', ...report.datasets.map(() => '---:')]));
  for (const m of report.models) {
    out.push(
      row([
        md(m),
        ...report.datasets.map((d) => {
          const c = cellAt(report, m, d);
          if (!c) return '';
          const text = md(cellText(c));
          return c.best && report.models.length > 1 ? `**${text}**` : text;
        }),
      ]),
    );
  }
  out.push('', 'Value ± standard error.' + (report.cells.some((c) => c.best) ? ' Bold: best of its dataset.' : ''), '');

  if (report.extraMetrics?.length) {
    out.push('### Other metrics', '');
    out.push(row(EXTRA_METRICS_HEADERS.map((h) => md(h))), row(['---', '---', '---']));
    for (const r of report.extraMetrics)
      out.push(row([md(r.model), md(r.dataset), md(r.metrics.map(formatExtraMetric).join(' · '))]));
    out.push('', md(EXTRA_METRICS_NOTE), '');
  }

  const problems = problemCells(report);
  if (problems.length) {
    out.push('### Tasks without a score', '');
    out.push(row(['model', 'dataset', 'status', 'reason']), row(['---', '---', '---', '---']));
    for (const c of problems)
      out.push(row([md(c.model), md(c.dataset), c.status.replace('_', ' '), md(c.reason ?? '')]));
    out.push('');
  }

  out.push('## Throughput and cost', '');
  out.push(
    row(['model', 'output tok/s', 'GPUs', 'GPU-hours', 'samples', 'sample errors', 'failed tasks']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const s of report.modelStats) {
    out.push(
      row([
        md(s.model),
        formatTokensPerS(s.outputTokensPerS),
        String(s.gpus),
        formatGpuHours(s.gpuHours, s.gpus),
        String(s.samples),
        String(s.sampleErrors),
        String(s.tasksFailed),
      ]),
    );
  }
  out.push('');

  if (report.efficiency?.length) {
    out.push('## Efficiency', '');
    out.push(
      row(EFFICIENCY_HEADERS.map((h) => md(h))),
      row(EFFICIENCY_HEADERS.map((_, i) => (i < 2 ? '---' : '---:'))),
    );
    for (const r of report.efficiency) out.push(row(efficiencyCells(r).map(md)));
    out.push(
      '',
      "Streamed requests at the preset's concurrency. TTFT: time to first token; inter-token: time per output token after the first. Engine load is the model's start to healthy.",
      '',
    );
  }

  out.push('## Failures by reason', '');
  if (report.failures.length === 0) out.push('No failed tasks.', '');
  else {
    out.push(row(['count', 'reason', 'tasks']), row(['---:', '---', '---']));
    for (const f of report.failures) out.push(row([String(f.count), md(f.reason), md(f.tasks.join(', '))]));
    out.push('');
  }

  if (report.sampleReasons.length) {
    out.push('### Why samples did not pass (most common)', '');
    out.push(row(['samples', 'reason']), row(['---:', '---']));
    for (const r of report.sampleReasons) out.push(row([String(r.count), md(r.reason)]));
    out.push('');
  }

  out.push('## Provenance', '');
  const facts: Array<[string, string]> = [
    ['evalbench', p.evalbenchVersion],
    ['preset', p.presetId ?? '—'],
    ['seed', p.seed === undefined ? '—' : String(p.seed)],
    [
      'jobs',
      p.jobs
        .map(
          (j) =>
            `${j.model}: ${j.jobId ?? 'not submitted'} ${j.state}${j.exitCode ? ` (exit ${j.exitCode})` : ''}${j.node ? ` on ${j.node}` : ''}`,
        )
        .join('; ') || '—',
    ],
    ['nodes', p.nodes.join(', ') || '—'],
    ...Object.entries(p.engineVersions).map(([m, v]): [string, string] => [`engine of ${m}`, v]),
    ...Object.entries(p.settings).map(([k, v]): [string, string] => [k, String(v)]),
    ...Object.entries(p.extra),
  ];
  out.push(row(['', '']), row(['---', '---']));
  for (const [k, v] of facts) out.push(row([md(k), md(v)]));
  out.push('', `_Generated ${md(report.generatedAt)}._`, '');
  return out.join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Inside an inline code span: backticks cannot be escaped, so they are replaced. */
function code(s: string): string {
  return s.replace(/[\r\n`]/g, "'");
}
