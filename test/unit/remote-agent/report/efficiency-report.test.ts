import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Efficiency } from '../../../../common/run/records';
import { buildReport } from '../../../../remote-agent/report/build';
import { renderReport } from '../../../../remote-agent/report/render';
import { mixedRun, result } from '../../support/report/fixture';
import { parseHtml } from '../../support/report/html-structure';

const measured: Efficiency = {
  engineLoadS: 42.5,
  concurrency: 64,
  timeToFirstToken: { meanMs: 130, p50Ms: 120, p95Ms: 310, n: 10 },
  interTokenLatency: { meanMs: 12.34, p50Ms: 12, p95Ms: 15, n: 10 },
  requestLatency: { meanMs: 2100, p50Ms: 2000, p95Ms: 3400, n: 10 },
  outputTokensPerS: 1850.4,
  peakGpuMemoryMiB: 71680,
};

function withEfficiency() {
  const input = mixedRun();
  input.status.results = input.status.results.map((r) =>
    r.model === 'm1' && r.dataset === 'd1'
      ? { ...r, efficiency: measured }
      : r.model === 'm2' && r.dataset === 'd1'
        ? { ...r, efficiency: { concurrency: 8, outputTokensPerS: 10, gpuMemoryUnavailable: 'nvidia-smi not found' } }
        : r,
  );
  input.status.results.push(
    result('m1', 'mt', 7.25, 0.4, { metric: 'judge score', scorer: 'judge', judge: 'big-judge' }),
  );
  return buildReport(input, new Date('2025-01-03T00:00:00Z'));
}

describe('efficiency and judged datasets in reports', () => {
  const report = withEfficiency();

  it('the report model has one efficiency row per measured task, and the judge of a judged column', () => {
    assert.deepEqual(
      report.efficiency?.map((r) => [r.model, r.dataset]),
      [
        ['m1', 'd1'],
        ['m2', 'd1'],
      ],
    );
    assert.equal(report.columns.find((c) => c.dataset === 'mt')?.judge, 'big-judge');
    assert.equal(buildReport(mixedRun()).efficiency, undefined);
  });

  it('Markdown: an efficiency table with latencies, load time and memory; unavailable memory is said, not zero', () => {
    const md = renderReport(report, 'md');
    assert.match(md, /## Efficiency/);
    assert.match(
      md,
      /\| m1 \| d1 \| 42\.5 s \| 120 ms \/ 310 ms \| 12\.3 ms \| 2\.00 s \/ 3\.40 s \| 1,850 \| 64 \| 70\.0 GiB \|/,
    );
    assert.match(md, /\| m2 \| d1 \| — \| — \| — \| — \| 10\.0 \| 8 \| unavailable \(nvidia-smi not found\) \|/);
    assert.match(md, /mt \(judge score, judge big-judge\)/);
    assert.match(md, /7\.25 ± 0\.40/);
    assert.doesNotMatch(renderReport(buildReport(mixedRun()), 'md'), /Efficiency/);
  });

  it('HTML: a well-formed efficiency section; text: the same table', () => {
    const html = renderReport(report, 'html');
    assert.deepEqual(parseHtml(html).errors, []);
    assert.match(html, /<section id="efficiency">[\s\S]*<td class="num">120 ms \/ 310 ms<\/td>/);
    assert.match(renderReport(report, 'text'), /TTFT p50 \/ p95[\s\S]*120 ms \/ 310 ms/);
  });

  it('CSV: efficiency columns only when measured, empty for tasks without, unavailable memory as its reason', () => {
    const lines = renderReport(report, 'csv').trim().split('\r\n');
    assert.match(
      lines[0]!,
      /,reason,engine_load_s,ttft_p50_ms,ttft_p95_ms,itl_mean_ms,request_p50_ms,request_p95_ms,concurrency,peak_gpu_memory_mib,gpu_memory_unavailable$/,
    );
    const m1d1 = lines.find((l) => l.includes(',m1,d1,'))!;
    assert.match(m1d1, /,42\.5,120,310,12\.34,2000,3400,64,71680,$/);
    const m2d1 = lines.find((l) => l.includes(',m2,d1,'))!;
    assert.match(m2d1, /,,,,,,,8,,nvidia-smi not found$/);
    assert.equal(
      renderReport(buildReport(mixedRun()), 'csv').split('\r\n')[0],
      'run_id,self_check,model,dataset,status,metric,value,stderr,best,n,passed,failed,errors,output_tok_s,gpu_hours,reason',
    );
  });
});
