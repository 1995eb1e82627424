import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport } from '../../../../remote-agent/report/build';
import { renderReport } from '../../../../remote-agent/report/render';
import { HOSTILE_MODEL, mixedRun, result } from '../../support/report/fixture';
import { decodeEntities, parseHtml } from '../../support/report/html-structure';

/**
 * The mixed run with metrics beside the main scores: pass@k on a code task (pass@1 is its main metric), safety
 * refusal rates over their own subsets, and a judge's pass rate with per-turn ratings.
 */
function withExtraMetrics() {
  const input = mixedRun();
  input.status.results = input.status.results.map((r) =>
    r.model === 'm1' && r.dataset === 'd1' ? { ...r, metric: 'pass@1', passAtK: { 'pass@1': 0.8, 'pass@5': 0.95 } } : r,
  );
  input.status.results.push(
    result('m1', 'safety', 0.875, 0.08, {
      scorer: 'refusal',
      extraMetrics: {
        'refusal rate (harmful)': { value: 0.875, stderr: 0.117, n: 8 },
        'over-refusal rate (benign)': { value: 0.125, stderr: 0.117, n: 8 },
      },
    }),
    result(HOSTILE_MODEL, 'mt', 7.25, 0.4, {
      metric: 'judge score',
      scorer: 'judge',
      extraMetrics: {
        'pass rate (rated ≥ 7)': { value: 0.5, stderr: 0.25, n: 4 },
        'rating, turn 1': { value: 7.5, stderr: 0.5, n: 4 },
      },
    }),
  );
  return buildReport(input, new Date('2025-01-03T00:00:00Z'));
}

describe('metrics beside the main score in reports (pass@k, refusal rates, judge pass rate)', () => {
  const report = withExtraMetrics();

  it('the report model lists them per task, in model × dataset order, leaving out the main metric and tasks without any', () => {
    assert.deepEqual(
      report.extraMetrics?.map((r) => [r.model, r.dataset, r.metrics.map((m) => m.name)]),
      [
        ['m1', 'd1', ['pass@5']],
        ['m1', 'safety', ['refusal rate (harmful)', 'over-refusal rate (benign)']],
        [HOSTILE_MODEL, 'mt', ['pass rate (rated ≥ 7)', 'rating, turn 1']],
      ],
    );
    assert.deepEqual(report.extraMetrics?.[1]?.metrics[1], {
      name: 'over-refusal rate (benign)',
      value: 0.125,
      stderr: 0.117,
      n: 8,
    });
    assert.equal(buildReport(mixedRun()).extraMetrics, undefined, 'a run without any has no section at all');
  });

  it('Markdown: an "Other metrics" table, fractions as percentages, ratings as they are, subsets with their n', () => {
    const md = renderReport(report, 'md');
    assert.match(md, /### Other metrics/);
    assert.match(md, /\| m1 \| d1 \| pass@5 95\.0 \|/);
    assert.match(
      md,
      /\| m1 \| safety \| refusal rate \(harmful\) 87\.5 ± 11\.7 \(n 8\) · over-refusal rate \(benign\) 12\.5 ± 11\.7 \(n 8\) \|/,
    );
    assert.match(md, /pass rate \(rated ≥ 7\) 50\.0 ± 25\.0 \(n 4\) · rating, turn 1 7\.50 ± 0\.50 \(n 4\)/);
    assert.ok(md.indexOf('### Other metrics') < md.indexOf('## Throughput and cost'), 'under the scores');
    assert.doesNotMatch(renderReport(buildReport(mixedRun()), 'md'), /Other metrics/);
  });

  it('HTML: a well-formed table, one metric per line, the hostile model id escaped', () => {
    const html = renderReport(report, 'html');
    const parsed = parseHtml(html);
    assert.deepEqual(parsed.errors, []);
    assert.match(
      html,
      /<table id="extra-metrics">[\s\S]*<td>refusal rate \(harmful\) 87\.5 ± 11\.7 \(n 8\)<br>over-refusal rate \(benign\) 12\.5 ± 11\.7 \(n 8\)<\/td>/,
    );
    const table = html.slice(
      html.indexOf('<table id="extra-metrics">'),
      html.indexOf('</table>', html.indexOf('<table id="extra-metrics">')),
    );
    assert.ok(decodeEntities(table).includes(HOSTILE_MODEL));
    assert.ok(!table.includes('<img'), 'no markup from the run');
    assert.doesNotMatch(renderReport(buildReport(mixedRun()), 'html'), /id="extra-metrics"/);
  });

  it('text: the same rows in an aligned table under the score matrix', () => {
    const text = renderReport(report, 'text');
    assert.match(text, /model +dataset +other metrics/);
    assert.match(
      text,
      /m1 +safety +refusal rate \(harmful\) 87\.5 ± 11\.7 \(n 8\) · over-refusal rate \(benign\) 12\.5 ± 11\.7 \(n 8\)/,
    );
    assert.match(text, /m1 +d1 +pass@5 95\.0/);
  });
});
