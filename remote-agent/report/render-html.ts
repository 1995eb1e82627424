import * as crypto from 'crypto';
import { escapeHtml as h } from '../../common/html-escape';
import { chartJsUmdSource } from './chartjs-source';
import { EFFICIENCY_HEADERS, efficiencyCells } from './efficiency';
import { EXTRA_METRICS_HEADERS, EXTRA_METRICS_NOTE, formatExtraMetric } from './extra-metrics';
import { cellText, formatGpuHours, formatTokensPerS, problemCells, runTitle } from './format';
import { CHART_SCRIPT, REPORT_CSS } from './html-assets';
import { jsonForScript } from './script-json';
import { cellAt, type ReportModel } from './model';

/** The data the chart script reads from the page's JSON block. */
export interface ChartData {
  models: string[];
  scores: Array<{ dataset: string; metric: string | null; values: Array<number | null>; errors: Array<number | null> }>;
  throughput: Array<number | null>;
}

export function chartData(report: ReportModel): ChartData {
  return {
    models: report.models,
    scores: report.datasets.map((dataset) => {
      const cells = report.models.map((m) => cellAt(report, m, dataset));
      const scored = (i: number) => cells[i]?.status === 'scored';
      return {
        dataset,
        metric: report.columns.find((c) => c.dataset === dataset)?.metric ?? null,
        values: cells.map((c, i) => (scored(i) ? c!.value! : null)),
        errors: cells.map((c, i) => (scored(i) ? (c!.stderr ?? null) : null)),
      };
    }),
    throughput: report.modelStats.map((s) => s.outputTokensPerS),
  };
}

/**
 * One self-contained HTML file: tables, Chart.js charts (inlined, no network), light and dark themes. A CSP allows
 * only this page's own style and scripts (by hash), so nothing from the run can run even if it got past escaping.
 */
export function renderHtml(report: ReportModel): string {
  const chartJs = inlineScript(chartJsUmdSource());
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(REPORT_CSS)}'`,
    `script-src '${sha256(chartJs)}' '${sha256(CHART_SCRIPT)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = runTitle(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="evalbench ${h(report.provenance.evalbenchVersion)}">
<title>evalbench report: ${h(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body data-self-check="${report.run.selfCheck}">
<header>
<h1>${h(title)}</h1>
<p class="meta">Run <code>${h(report.run.runId)}</code> · state <strong>${h(report.run.state)}</strong> · created ${h(report.run.createdAt)} · cluster ${h(report.run.clusterId)} (${h(report.run.target)}) · engine ${h(report.run.engine)}</p>
${report.selfCheckNote ? `<p class="self-check" id="self-check"><strong>SELF-CHECK RUN</strong> ${h(report.selfCheckNote)}</p>` : ''}
</header>
<main>
<section id="scores">
<h2>Scores</h2>
${scoreTable(report)}
${extraMetricsTable(report)}
${problemsTable(report)}
</section>
<section id="charts">
<h2>Charts</h2>
<div class="charts">
${report.datasets.map((d, i) => figure(`chart-score-${i}`, `${d} — ${report.columns[i]?.metric ?? 'score'} ± standard error`, `Scores on ${d} per model, with standard errors`, false)).join('\n')}
${figure('chart-throughput', 'Throughput per model (output tokens per second)', 'Output tokens per second per model', true)}
</div>
</section>
<section id="throughput">
<h2>Throughput and cost</h2>
${statsTable(report)}
</section>
${efficiencySection(report)}<section id="failures">
<h2>Failures by reason</h2>
${failuresTable(report)}
${sampleReasonsTable(report)}
</section>
<section id="provenance">
<h2>Provenance</h2>
${provenanceList(report)}
</section>
<p class="note">Generated ${h(report.generatedAt)} by evalbench ${h(report.provenance.evalbenchVersion)}.</p>
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData(report))}</script>
<script>${chartJs}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

function scoreTable(report: ReportModel): string {
  const head = report.datasets.map((d, i) => {
    const metric = report.columns[i]?.metric;
    const judge = report.columns[i]?.judge;
    return `<th scope="col">${h(d)}${metric ? `<br><span class="meta">${h(metric)}${judge ? ` · judge ${h(judge)}` : ''}</span>` : ''}</th>`;
  });
  const rows = report.models.map((m) => {
    const tds = report.datasets.map((d) => {
      const c = cellAt(report, m, d);
      if (!c) return '<td></td>';
      const best = c.best && report.models.length > 1;
      const reason = c.status !== 'scored' && c.reason ? `<span class="reason">${h(c.reason)}</span>` : '';
      return `<td class="num ${c.status}${best ? ' best' : ''}" data-model="${h(m)}" data-dataset="${h(d)}" data-status="${c.status}">${h(cellText(c))}${best ? ' <span title="best of this dataset">★</span>' : ''}${reason}</td>`;
    });
    return `<tr><th scope="row">${h(m)}</th>${tds.join('')}</tr>`;
  });
  const note = `Value ± standard error.${report.cells.some((c) => c.best) ? ' ★ best of its dataset.' : ''}`;
  return `<div class="table-wrap"><table id="score-matrix"><thead><tr><th scope="col">model</th>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div><p class="note">${note}</p>`;
}

function extraMetricsTable(report: ReportModel): string {
  if (!report.extraMetrics?.length) return '';
  const rows = report.extraMetrics.map(
    (r) =>
      `<tr><th scope="row">${h(r.model)}</th><td>${h(r.dataset)}</td><td>${r.metrics.map((m) => h(formatExtraMetric(m))).join('<br>')}</td></tr>`,
  );
  return `<h3>Other metrics</h3><div class="table-wrap"><table id="extra-metrics"><thead><tr>${EXTRA_METRICS_HEADERS.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div><p class="note">${h(EXTRA_METRICS_NOTE)}</p>`;
}

function problemsTable(report: ReportModel): string {
  const problems = problemCells(report);
  if (!problems.length) return '';
  const rows = problems.map(
    (c) =>
      `<tr><td>${h(c.model)}</td><td>${h(c.dataset)}</td><td>${h(c.status.replace('_', ' '))}</td><td>${h(c.reason ?? '')}</td></tr>`,
  );
  return `<h3>Tasks without a score (${problems.length})</h3><div class="table-wrap"><table id="problems"><thead><tr><th>model</th><th>dataset</th><th>status</th><th>reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function statsTable(report: ReportModel): string {
  const rows = report.modelStats.map(
    (s) =>
      `<tr><th scope="row">${h(s.model)}</th><td class="num">${h(formatTokensPerS(s.outputTokensPerS))}</td><td class="num">${s.gpus}</td><td class="num">${h(formatGpuHours(s.gpuHours, s.gpus))}</td><td class="num">${s.samples}</td><td class="num">${s.sampleErrors}</td><td class="num">${s.tasksFailed}</td></tr>`,
  );
  return `<div class="table-wrap"><table id="model-stats"><thead><tr><th>model</th><th>output tok/s</th><th>GPUs</th><th>GPU-hours</th><th>samples</th><th>sample errors</th><th>failed tasks</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function efficiencySection(report: ReportModel): string {
  if (!report.efficiency?.length) return '';
  const rows = report.efficiency.map(
    (r) =>
      `<tr>${efficiencyCells(r)
        .map((c, i) => (i === 0 ? `<th scope="row">${h(c)}</th>` : `<td${i > 1 ? ' class="num"' : ''}>${h(c)}</td>`))
        .join('')}</tr>`,
  );
  return `<section id="efficiency">
<h2>Efficiency</h2>
<div class="table-wrap"><table id="efficiency-table"><thead><tr>${EFFICIENCY_HEADERS.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
<p class="note">Streamed requests at the preset's concurrency. TTFT: time to first token; inter-token: time per output token after the first.</p>
</section>
`;
}

function failuresTable(report: ReportModel): string {
  if (!report.failures.length) return '<p>No failed tasks.</p>';
  const rows = report.failures.map(
    (f) => `<tr><td class="num">${f.count}</td><td>${h(f.reason)}</td><td>${h(f.tasks.join(', '))}</td></tr>`,
  );
  return `<div class="table-wrap"><table id="failure-counts"><thead><tr><th>count</th><th>reason</th><th>tasks</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function sampleReasonsTable(report: ReportModel): string {
  if (!report.sampleReasons.length) return '';
  const rows = report.sampleReasons.map((r) => `<tr><td class="num">${r.count}</td><td>${h(r.reason)}</td></tr>`);
  return `<h3>Why samples did not pass (most common)</h3><div class="table-wrap"><table id="sample-reasons"><thead><tr><th>samples</th><th>reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function provenanceList(report: ReportModel): string {
  const p = report.provenance;
  const facts: Array<[string, string]> = [
    ['evalbench', p.evalbenchVersion],
    ['preset', p.presetId ?? '—'],
    ['seed', p.seed === undefined ? '—' : String(p.seed)],
    ['nodes', p.nodes.join(', ') || '—'],
    ...p.jobs.map((j): [string, string] => [
      `job of ${j.model}`,
      `${j.jobId ?? 'not submitted'} · ${j.state}${j.exitCode ? ` · exit ${j.exitCode}` : ''}${j.node ? ` · ${j.node}` : ''}${j.reason ? ` · ${j.reason}` : ''}`,
    ]),
    ...Object.entries(p.engineVersions).map(([m, v]): [string, string] => [`engine of ${m}`, v]),
    ...Object.entries(p.settings).map(([k, v]): [string, string] => [k, String(v)]),
    ...Object.entries(p.extra),
  ];
  return `<dl>${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`;
}

function figure(id: string, caption: string, label: string, wide: boolean): string {
  return `<figure><figcaption>${h(caption)}</figcaption><div class="chart-box${wide ? ' wide' : ''}"><canvas id="${h(id)}" role="img" aria-label="${h(label)}"></canvas></div></figure>`;
}

/** A script's text made safe between <script> tags: `</script` and `<!--` cannot end or confuse the element. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function sha256(text: string): string {
  return `sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
