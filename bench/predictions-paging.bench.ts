/**
 * The predictions panel on a 100,000-sample task. What it costs the agent to answer one page of tasks/predictions
 * (first page, a filtered page, a text search, the last page, a side-by-side join by ids), what one page costs on the
 * wire and in validation against the whole task sent at once (the baseline a viewer without paging would pay), and
 * how many rows and pages the webview holds while a user scrolls from the first row to the last.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PageResultSchema } from '../common/protocol/webview-predictions';
import type { Prediction } from '../common/run/records';
import { clearTaskIndexCache } from '../remote-agent/runs/task-index';
import { queryPredictions } from '../remote-agent/runs/predictions-query';
import { RunPaths } from '../remote-agent/store/layout';
import { PagedRows, visibleWindow } from '../webview/predictions/paging';

const N = Number(process.env.BENCH_PREDICTIONS ?? 100_000);
const PAGE = 200;
const ROW_PX = 26;
const VIEWPORT_PX = 900;

function prediction(i: number): Prediction {
  const pass = i % 3 !== 0;
  return {
    id: `gsm8k-${i}`,
    index: i,
    prompt: [
      {
        role: 'user',
        content: `Question ${i}: a farmer has ${i} sheep and buys ${i % 17} more. How many sheep does the farmer have now? Solve step by step.`,
      },
    ],
    output: `The farmer had ${i} sheep and bought ${i % 17} more, so ${i} + ${i % 17} = ${i + (i % 17) + (pass ? 0 : 1)}.\n#### ${i + (i % 17) + (pass ? 0 : 1)}`,
    finishReason: 'stop',
    promptTokens: 40,
    completionTokens: 30,
    latencyMs: 120 + (i % 50),
    verdict: pass ? 'pass' : 'fail',
    reason: pass ? 'correct' : i % 2 ? 'wrong answer' : 'no answer extracted',
    extracted: String(i + (i % 17) + (pass ? 0 : 1)),
    reference: String(i + (i % 17)),
    time: new Date(1_750_000_000_000 + i).toISOString(),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(fn: () => T, runs = 3): { ms: number; value: T } {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), value };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-predictions-'));
  try {
    const paths = new RunPaths(path.join(dir, 'runs', 'bench-run'));
    const file = paths.predictions('qwen3-8b', 'gsm8k');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const all = Array.from({ length: N }, (_, i) => prediction(i));
    fs.writeFileSync(file, all.map((p) => JSON.stringify(p)).join('\n') + '\n');
    console.log(
      `${N.toLocaleString('en-US')} predictions, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB of predictions.jsonl`,
    );

    const q = (extra: object) => queryPredictions(paths, 'qwen3-8b', 'gsm8k', { offset: 0, limit: PAGE, ...extra });
    const rows: [string, object][] = [
      ['first page', {}],
      ['failures only (verdict fail)', { verdict: 'fail' }],
      ['one reason', { reason: 'no answer extracted' }],
      ['text search', { search: 'buys 13 more' }],
      ['last page', { offset: N - PAGE }],
      ['side-by-side join (200 ids)', { ids: all.slice(50_000, 50_000 + PAGE).map((p) => p.id) }],
    ];
    clearTaskIndexCache();
    const cold = time(() => q({}), 1);
    console.log(
      `\nagent: the first page of a task not read before of a JSONL written without its index (the index is built once and written beside it): ${cold.ms.toFixed(0)} ms`,
    );
    console.log('agent: one tasks/predictions page (median of 3, index loaded once and cached)');
    for (const [label, extra] of rows) {
      const { ms, value } = time(() => q(extra));
      console.log(
        `  ${label.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms   ${value.matched.toLocaleString('en-US')} matched, ${value.items.length} sent`,
      );
    }

    fs.appendFileSync(file, Array.from({ length: 1000 }, (_, k) => JSON.stringify(prediction(N + k)) + '\n').join(''));
    const grown = time(() => q({ offset: N }), 1);
    console.log(
      `  after a job appended 1,000 lines  ${grown.ms.toFixed(0).padStart(4)} ms   ${grown.value.total.toLocaleString('en-US')} in the task (only the new lines indexed)`,
    );

    const page = q({});
    const whole = { total: N, matched: N, items: all, reasons: page.reasons };
    const pageCost = time(() => PageResultSchema.parse(JSON.parse(JSON.stringify(page))), 5);
    const wholeCost = time(() => PageResultSchema.parse(JSON.parse(JSON.stringify(whole))), 1);
    const pageBytes = JSON.stringify(page).length;
    const wholeBytes = JSON.stringify(whole).length;
    console.log('\nwire + validation of what the webview receives (encode, decode, zod):');
    console.log(
      `  one page of ${PAGE}:           ${pageCost.ms.toFixed(1).padStart(8)} ms  ${(pageBytes / 1e3).toFixed(0).padStart(7)} kB`,
    );
    console.log(
      `  the whole task (baseline): ${wholeCost.ms.toFixed(1).padStart(8)} ms  ${(wholeBytes / 1e3).toFixed(0).padStart(7)} kB`,
    );
    console.log(
      `  ratio: a page costs 1/${Math.round(wholeCost.ms / pageCost.ms)} of the time and 1/${Math.round(wholeBytes / pageBytes)} of the bytes`,
    );

    // The webview side: scroll from top to bottom one viewport at a time over an in-memory source.
    let fetched = 0;
    const paged = new PagedRows<number>(
      async (offset, limit) => {
        fetched++;
        return {
          matched: N,
          total: N,
          reasons: {},
          rows: Array.from({ length: Math.min(limit, N - offset) }, (_, k) => offset + k),
        };
      },
      { pageSize: PAGE, maxPages: 40 },
    );
    let maxRows = 0;
    let maxPages = 0;
    const t = performance.now();
    for (let top = 0; top < N * ROW_PX; top += VIEWPORT_PX) {
      const w = visibleWindow(top, VIEWPORT_PX, ROW_PX, paged.matched ?? N);
      await paged.ensure(w.first, w.last);
      for (let i = w.first; i <= w.last; i++) if (paged.row(i) !== i) throw new Error(`row ${i} is wrong`);
      maxRows = Math.max(maxRows, w.last - w.first + 1);
      maxPages = Math.max(maxPages, paged.cachedPages);
    }
    const scrollMs = performance.now() - t;
    const screens = Math.ceil((N * ROW_PX) / VIEWPORT_PX);
    console.log('\nwebview: scrolling through every row, one screen at a time');
    console.log(
      `  ${screens.toLocaleString('en-US')} screens in ${scrollMs.toFixed(0)} ms (${((scrollMs / screens) * 1000).toFixed(0)} µs of paging work per screen)`,
    );
    console.log(
      `  rows in the DOM at most: ${maxRows} (of ${N.toLocaleString('en-US')}); pages held at most: ${maxPages}; pages fetched: ${fetched}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
