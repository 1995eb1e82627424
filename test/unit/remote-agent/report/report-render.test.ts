import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { buildReport } from '../../../../remote-agent/report/build';
import { chartData } from '../../../../remote-agent/report/render-html';
import { renderReport } from '../../../../remote-agent/report/render';
import { HOSTILE_MODEL, HOSTILE_REASON, mixedRun, selfCheckRun } from '../../support/report/fixture';
import { decodeEntities, parseHtml } from '../../support/report/html-structure';

const mixed = buildReport(mixedRun(), new Date('2025-01-03T00:00:00Z'));
const selfCheck = buildReport(selfCheckRun(), new Date('2025-01-03T00:00:00Z'));

function sha256(text: string): string {
  return `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('HTML report', () => {
  const html = renderReport(mixed, 'html');
  const parsed = parseHtml(html);
  const scripts = parsed.elements.filter((e) => e.tag === 'script');

  it('is well-formed: every element closed in order', () => {
    assert.deepEqual(parsed.errors, []);
    assert.ok(html.startsWith('<!doctype html>'));
  });

  it('is self-contained: Chart.js inlined, nothing loaded from elsewhere', () => {
    assert.equal(scripts.length, 3);
    assert.match(scripts[1]!.text!, /Chart\.js v4/);
    for (const e of parsed.elements) {
      assert.equal(e.attrs['src'], undefined, `<${e.tag}> loads ${e.attrs['src']}`);
      if (e.tag === 'link') assert.fail('a <link> element');
    }
  });

  it('has a CSP that allows exactly its own style and scripts, by hash', () => {
    const meta = parsed.elements.find((e) => e.tag === 'meta' && e.attrs['http-equiv'] === 'Content-Security-Policy');
    assert.ok(meta, 'CSP meta tag');
    const csp = decodeEntities(meta.attrs['content']!);
    assert.match(csp, /default-src 'none'/);
    const style = parsed.elements.find((e) => e.tag === 'style')!;
    assert.ok(csp.includes(`style-src ${sha256(style.text!)}`));
    assert.ok(csp.includes(`script-src ${sha256(scripts[1]!.text!)} ${sha256(scripts[2]!.text!)}`));
    assert.doesNotMatch(csp, /unsafe/);
  });

  it('draws a score chart (with error bars) per dataset and a throughput chart', () => {
    const canvases = parsed.elements.filter((e) => e.tag === 'canvas').map((e) => e.attrs['id']);
    assert.deepEqual(canvases, ['chart-score-0', 'chart-score-1', 'chart-throughput']);
    assert.match(scripts[2]!.text!, /afterDatasetsDraw/);
    const data = JSON.parse(scripts[0]!.text!);
    assert.deepEqual(data, JSON.parse(JSON.stringify(chartData(mixed))));
    assert.deepEqual(data.scores[0].values, [0.8, 0.8, null]);
    assert.deepEqual(data.scores[0].errors, [0.05, 0.04, null]);
    assert.deepEqual(data.scores[1].values, [0.5, null, null], 'failed cells have no bar');
    assert.deepEqual(data.throughput, [75, 300, null]);
  });

  it('escapes every string from the run: no markup, no script, no attribute breaks out', () => {
    assert.equal(parsed.elements.filter((e) => e.tag === 'img').length, 0);
    assert.ok(parsed.elements.every((e) => !Object.keys(e.attrs).some((a) => a.startsWith('on'))));
    assert.ok(decodeEntities(parsed.text).includes(HOSTILE_MODEL));
    assert.ok(decodeEntities(parsed.text).includes(HOSTILE_REASON.split('\n')[0]!));
    assert.ok(!scripts[0]!.text!.includes('<'), 'the JSON block holds no "<"');
    const hostileCell = parsed.elements.find(
      (e) =>
        e.tag === 'td' &&
        e.attrs['data-model'] !== undefined &&
        decodeEntities(e.attrs['data-model']) === HOSTILE_MODEL,
    );
    assert.ok(hostileCell, 'the hostile id survives as attribute text');
  });

  it('marks the best per dataset, failed tasks and tasks with no result, with reasons', () => {
    const cells = parsed.elements.filter((e) => e.tag === 'td' && e.attrs['data-status']);
    assert.equal(cells.length, 6);
    const cls = (m: string, d: string) =>
      cells.find((e) => decodeEntities(e.attrs['data-model']!) === m && e.attrs['data-dataset'] === d)!.attrs['class'];
    assert.match(cls('m1', 'd1')!, /\bbest\b/);
    assert.match(cls('m2', 'd1')!, /\bbest\b/);
    assert.match(cls('m2', 'd2')!, /\bfailed\b/);
    assert.match(cls(HOSTILE_MODEL, 'd2')!, /\bno_result\b/);
    assert.ok(parsed.elements.some((e) => e.attrs['id'] === 'problems'));
    assert.ok(parsed.elements.some((e) => e.attrs['id'] === 'sample-reasons'));
    assert.ok(parsed.text.includes('NO RESULT'));
    assert.ok(parsed.text.includes('connection refused'));
  });

  it('reads in light and dark', () => {
    const css = parsed.elements.find((e) => e.tag === 'style')!.text!;
    assert.match(css, /@media \(prefers-color-scheme: dark\)/);
    assert.match(css, /color-scheme: light dark/);
  });

  it('labels a self-check run in the title and a banner; a model run has neither', () => {
    const sc = parseHtml(renderReport(selfCheck, 'html'));
    assert.deepEqual(sc.errors, []);
    assert.match(sc.elements.find((e) => e.tag === 'title')!.text!, /SELF-CHECK RUN/);
    assert.ok(sc.elements.some((e) => e.attrs['id'] === 'self-check'));
    assert.ok(!parsed.elements.some((e) => e.attrs['id'] === 'self-check'));
    assert.ok(!html.includes('SELF-CHECK'));
  });
});

describe('Markdown, CSV, JSON and text reports', () => {
  it('Markdown: matrix with best in bold, failures, throughput, provenance; hostile text inert', () => {
    const md = renderReport(mixed, 'md');
    assert.match(md, /^# evalbench report: nightly/);
    assert.ok(md.includes('| m1 | **80.0 ± 5.0** | 50.0 ± 10.0 |'));
    assert.ok(md.includes('| m2 | **80.0 ± 4.0** | FAILED (10.0 ± 9.0) |'));
    assert.ok(md.includes('## Failures by reason'));
    assert.ok(md.includes('| m1 | 75.0 tok/s | 2 | 1.00 |'));
    assert.ok(md.includes('| jobs |'));
    assert.ok(md.includes('| 9 | engine error: connection refused |'));
    assert.ok(md.includes('| 1 | &lt;b&gt;timeout&lt;/b&gt; after 10 s |'));
    assert.ok(!md.includes('<img'), 'no raw HTML from ids');
    assert.ok(!md.includes('</script>'));
    const lines = md.split('\n');
    const matrix = lines.slice(lines.indexOf('## Scores') + 2, lines.indexOf('## Scores') + 7);
    assert.equal(matrix.length, 5, 'header, rule and three model rows');
    for (const line of matrix) assert.equal(line.split(/(?<!\\)\|/).length, 5, `escaped pipes add no columns: ${line}`);
  });

  it('Markdown: a self-check run says so first', () => {
    const md = renderReport(selfCheck, 'md');
    assert.match(md.split('\n')[0]!, /SELF-CHECK RUN/);
    assert.ok(md.includes('reference engine'));
  });

  it('CSV: one row per task, formulas inert, reasons quoted', () => {
    const csv = renderReport(mixed, 'csv').trimEnd().split('\r\n');
    assert.equal(
      csv[0],
      'run_id,self_check,model,dataset,status,metric,value,stderr,best,n,passed,failed,errors,output_tok_s,gpu_hours,reason',
    );
    assert.equal(csv[1], '20250102-130000-000-abcdef,false,m1,d1,scored,accuracy,0.8,0.05,true,10,8,2,0,75,1,');
    // 6 task rows; the hostile reason has a line break inside its quoted field.
    const body = renderReport(mixed, 'csv');
    assert.ok(body.includes(`"</script><script>alert(""pwned"")</script>\n=HYPERLINK(""http://evil"")"`));
    assert.equal(body.match(/\r\n/g)!.length, 7);
    assert.ok(renderReport(selfCheck, 'csv').split('\r\n')[1]!.includes(',true,tiny,'));
  });

  it('JSON: the report model itself', () => {
    assert.deepEqual(JSON.parse(renderReport(mixed, 'json')), JSON.parse(JSON.stringify(mixed)));
  });

  it('text: aligned table, control characters shown not executed, self-check labelled', () => {
    const input = selfCheckRun();
    input.status.taskStates.push({
      model: 'tiny',
      dataset: 'evil\x1b[2J',
      state: 'failed',
      done: 0,
      total: 1,
      reason: 'boom\x07',
    });
    const text = renderReport(buildReport(input), 'text');
    assert.ok(!/[\x1b\x07]/.test(text));
    assert.ok(text.includes('evil\\x1b[2J'));
    assert.match(text.split('\n')[0]!, /^SELF-CHECK RUN/);
    assert.ok(text.includes('100.0 ± 0.0'));
  });
});
