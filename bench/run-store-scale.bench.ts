/**
 * Run stores at scale: a task of 100,000 and of 1,000,000 predictions, opened, filtered, looked up and searched
 * through its index, against today's baseline measured in the same run: parse and validate the whole JSONL (what
 * the agent did before the index existed). Each measurement that holds memory runs in a child process of its own,
 * so the figures are that process's, not the bench's.
 *
 * Rescore rates are predictions per second of wall clock, and per CPU-second of the process (steadier where the
 * machine is shared).
 *
 *   npm run bench -- run-store-scale          BENCH_SCALES=100000 to skip the million, BENCH_ONLY=rescore for the
 *                                             rescore rows alone
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import type { Prediction } from '../common/run/records';
import { queryPredictions } from '../remote-agent/runs/predictions-query';
import { scanForText } from '../remote-agent/runs/predictions-search';
import { clearTaskIndexCache, openTaskIndex } from '../remote-agent/runs/task-index';
import { IndexColumns } from '../remote-agent/store/index-columns';
import { RunPaths } from '../remote-agent/store/layout';
import { readPredictions } from '../remote-agent/store/predictions';
import { indexFileOf, recordOfLine, writeIndex } from '../remote-agent/store/predictions-index';
import { transformPredictions } from '../remote-agent/store/predictions-rewrite';
import { rewritePredictions } from '../remote-agent/store/predictions';
import { loadDatasetSync } from '../remote-agent/datasets';
import { createScorer } from '../remote-agent/scoring';
import { scorePrediction } from '../remote-agent/work/score-prediction';
import { rescorerOf } from '../remote-agent/runs/rescore-prediction';
import { SampleLookup } from '../remote-agent/runs/sample-lookup';
import { loadReport } from '../remote-agent/report/load';
import { renderReport } from '../remote-agent/report/render';
import { compareReports, renderComparison } from '../remote-agent/report/compare';
import type { ReportModel } from '../remote-agent/report/model';
import { writeRunStore } from '../test/unit/support/report/run-store-fixture';
import {
  createRescoreRun,
  DATASET as RESCORE_DATASET,
  MODEL as RESCORE_MODEL,
} from '../test/unit/support/runs/fixtures/rescore-task';
import { rescoreTask } from '../remote-agent/runs/rescore';
import type { Dataset } from '../common/catalog/dataset';

const PAGE = 200;

function prediction(i: number): Prediction {
  const pass = i % 3 !== 0;
  const answer = i + (i % 17) + (pass ? 0 : 1);
  return {
    id: `gsm8k-${i}`,
    index: i,
    prompt: [
      {
        role: 'user',
        content: `Question ${i}: a farmer has ${i} sheep and buys ${i % 17} more. How many sheep does the farmer have now? Solve step by step.`,
      },
    ],
    output: `The farmer had ${i} sheep and bought ${i % 17} more, so ${i} + ${i % 17} = ${answer}.\n#### ${answer}`,
    finishReason: 'stop',
    promptTokens: 40,
    completionTokens: 30,
    latencyMs: 120 + (i % 50),
    verdict: pass ? 'pass' : 'fail',
    ...(pass
      ? { reason: 'correct' }
      : { reason: i % 2 ? `wrong answer ${answer} != ${answer - 1}` : 'no answer extracted' }),
    extracted: String(answer),
    reference: String(i + (i % 17)),
    time: new Date(1_750_000_000_000 + i).toISOString(),
  };
}

/** The JSONL and its index as a job leaves them, written a chunk at a time (a million objects never all in memory). */
function generate(file: string, n: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  const cols = new IndexColumns();
  let offset = 0;
  for (let start = 0; start < n; start += 10_000) {
    let chunk = '';
    for (let i = start; i < Math.min(n, start + 10_000); i++) {
      const line = JSON.stringify(prediction(i)) + '\n';
      const length = Buffer.byteLength(line);
      cols.push(recordOfLine(line, offset, length)!);
      offset += length;
      chunk += line;
    }
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  writeIndex(file, fs.statSync(file).ino, cols);
}

/** A GSM8K-format dataset whose answers match the generated predictions (every third one wrong). */
function generateDataset(file: string, n: number): void {
  const fd = fs.openSync(file, 'w');
  for (let start = 0; start < n; start += 10_000) {
    let chunk = '';
    for (let i = start; i < Math.min(n, start + 10_000); i++) {
      chunk +=
        JSON.stringify({
          question: `Question ${i}: a farmer has ${i} sheep and buys ${i % 17} more.`,
          answer: `${i} + ${i % 17} = ${i + (i % 17)}\n#### ${i + (i % 17)}`,
        }) + '\n';
    }
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
}

/** CPU time of this process (all its threads) in ms: on a shared machine, steadier than the wall clock. */
function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function ms(fn: () => unknown, runs = 1): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function msAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

let held: unknown;

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

/** Milliseconds this process has spent in garbage collection since the call (read once its entries arrived). */
function gcClock(): () => Promise<number> {
  let total = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) total += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    obs.disconnect();
    return total;
  };
}

/** Child: what one measurement costs in a fresh process, printed as one JSON line. */
async function child(mode: string, file: string, n: number): Promise<void> {
  const paths = new RunPaths(path.dirname(path.dirname(path.dirname(path.dirname(file)))));
  global.gc?.();
  const before = process.memoryUsage();
  const out: Record<string, number> = {};
  if (mode === 'baseline') {
    out.firstPageMs = ms(() => (held = readPredictions(file).predictions).slice(0, PAGE));
  } else if (mode === 'rescore' || mode === 'rescore-baseline') {
    const dataset = {
      format: 'gsm8k',
      path: path.join(path.dirname(file), 'gsm8k.jsonl'),
      fewShot: 0,
      maxTokens: 64,
    } as unknown as Dataset;
    // Loaded and looked up as rescore does: samples for scoring (no prompt built), found by index then id.
    const samples = new SampleLookup(loadDatasetSync(dataset, { root: '/', chat: true, prompts: false }).samples);
    const scorer = createScorer(dataset);
    // The baseline is the per-row path rescore took before it streamed (zod, a promise per prediction, all in memory),
    // through today's scorer.
    const rescore = (p: Prediction) => {
      const { verdict: _v, reason: _r, extracted: _e, passes: _p, ...generated } = p;
      return scorePrediction(scorer, samples.get(p.id, p.index)!, generated);
    };
    global.gc?.();
    const gc = gcClock();
    const cpu = process.cpuUsage();
    const start = performance.now();
    let scored = 0;
    if (mode === 'rescore') {
      scored = (
        await transformPredictions(
          file,
          rescorerOf(scorer, (p) => samples.get(p.id, p.index), dataset),
        )
      ).written;
    } else {
      const all = readPredictions(file).predictions;
      const out: Prediction[] = [];
      for (const p of all) out.push(await rescore(p));
      rewritePredictions(file, out);
      scored = out.length;
    }
    out.rescoreMs = performance.now() - start;
    out.rescoreCpuMs = cpuMs(process.cpuUsage(cpu));
    out.rescored = scored;
    out.gcMs = await gc();
  } else if (mode === 'rescore-task') {
    // What `evalbench rescore` does for the task: the run's dataset loaded, every prediction re-scored, result.json.
    const paths = createRescoreRun(
      path.join(path.dirname(file), 'rescore-run'),
      path.join(path.dirname(file), 'gsm8k.jsonl'),
      n,
    );
    const target = paths.predictions(RESCORE_MODEL, RESCORE_DATASET);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.linkSync(file, target);
    fs.linkSync(indexFileOf(file), indexFileOf(target));
    global.gc?.();
    const gc = gcClock();
    const cpu = process.cpuUsage();
    const start = performance.now();
    out.rescored = (await rescoreTask(paths, RESCORE_MODEL, RESCORE_DATASET)).n;
    out.rescoreMs = performance.now() - start;
    out.rescoreCpuMs = cpuMs(process.cpuUsage(cpu));
    out.gcMs = await gc();
  } else if (mode === 'report') {
    // Two finished runs whose good/gsm8k task is this file (hard links: same inode, so its index serves).
    const runs = ['a', 'b'].map((k) => {
      const run = writeRunStore(path.join(path.dirname(file), `report-${k}`));
      const target = run.predictions('good', 'gsm8k');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.linkSync(file, target);
      fs.linkSync(indexFileOf(file), indexFileOf(target));
      return run;
    });
    let a: ReportModel | undefined;
    out.reportMs = await msAsync(async () => {
      a = await loadReport(runs[0]!);
      renderReport(a, 'md');
    });
    out.compareMs = await msAsync(async () => {
      renderComparison(compareReports(a!, await loadReport(runs[1]!)));
    });
  } else {
    const q = (extra: object) => queryPredictions(paths, 'qwen3-8b', 'gsm8k', { offset: 0, limit: PAGE, ...extra });
    out.firstPageMs = ms(() => q({}));
    out.verdictMs = ms(() => q({ verdict: 'fail' }), 3);
    out.reasonMs = ms(() => q({ reason: 'no answer extracted' }), 3);
    const ids = Array.from({ length: 1000 }, (_, k) => `gsm8k-${Math.floor((k * n) / 1000) + 1}`);
    out.lookupMs = ms(() => {
      const page = queryPredictions(paths, 'qwen3-8b', 'gsm8k', { offset: 0, limit: 1000, ids });
      if (page.items.length !== 1000) throw new Error(`looked up ${page.items.length} of 1000 ids`);
    }, 3);
    out.lastPageMs = ms(() => q({ offset: n - PAGE }), 3);
    const task = openTaskIndex(file);
    let first = -1;
    const t = performance.now();
    let found = 0;
    scanForText(task, 'buys 13 more', (p) => {
      found += p.matches.length;
      if (first < 0 && found > 0) first = performance.now() - t;
    });
    out.searchFirstMs = first;
    out.searchAllMs = performance.now() - t;
    out.searchMatches = found;
    out.indexBytes = task.cols.bytes + task.rows.byteLength;
  }
  global.gc?.();
  const after = process.memoryUsage();
  out.heldBytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  out.rssBytes = after.rss;
  if (held === 'never') console.log('');
  console.log(JSON.stringify(out));
}

function measure(mode: string, file: string, n: number): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=12000', '--import', 'tsx', __filename, mode, file, String(n)],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

function main(): void {
  const scales = (process.env.BENCH_SCALES ?? '100000,1000000').split(',').map(Number);
  const keep = process.env.BENCH_DIR;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-scale-'));
  try {
    for (const n of scales) {
      const file = new RunPaths(path.join(dir, 'runs', `run-${n}`)).predictions('qwen3-8b', 'gsm8k');
      const g = ms(() => generate(file, n));
      console.log(
        `\n${n.toLocaleString('en-US')} predictions: ${mb(fs.statSync(file).size)} of JSONL, ${mb(fs.statSync(file.replace(/\.jsonl$/, '.idx')).size)} of index (generated in ${(g / 1000).toFixed(1)} s)`,
      );
      const onlyRescore = process.env.BENCH_ONLY === 'rescore';
      const row = (label: string, value: string, goal = '') =>
        console.log(`  ${label.padEnd(44)} ${value.padStart(12)}  ${goal}`);
      if (!onlyRescore) indexRows(file, n, row);
      rescoreRows(file, n, row);
      clearTaskIndexCache();
    }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Row = (label: string, value: string, goal?: string) => void;

function indexRows(file: string, n: number, row: Row): void {
  const base = measure('baseline', file, n);
  const idx = measure('indexed', file, n);
  row('baseline: first page (parse whole file)', `${base.firstPageMs!.toFixed(0)} ms`, `holds ${mb(base.heldBytes!)}`);
  row(
    'first page of a never-read task',
    `${idx.firstPageMs!.toFixed(0)} ms`,
    `${(idx.firstPageMs! / base.firstPageMs!).toFixed(3)}× baseline; goal ≤ ${n > 100_000 ? 300 : 100} ms`,
  );
  row('filter by verdict (fail)', `${idx.verdictMs!.toFixed(1)} ms`, 'goal ≤ 50 ms at 1M');
  row('filter by reason class', `${idx.reasonMs!.toFixed(1)} ms`, 'goal ≤ 50 ms at 1M');
  row('lookup of 1,000 ids', `${idx.lookupMs!.toFixed(1)} ms`, 'goal ≤ 50 ms at 1M');
  row('last page', `${idx.lastPageMs!.toFixed(1)} ms`);
  row('text search: first matches', `${idx.searchFirstMs!.toFixed(0)} ms`, 'goal ≤ 200 ms at 1M');
  row('text search: whole scan', `${idx.searchAllMs!.toFixed(0)} ms`, `${idx.searchMatches} matches`);
  row(
    'memory held by the open task',
    mb(idx.heldBytes!),
    `index columns ${mb(idx.indexBytes!)}; goal < 64 MB; baseline held ${mb(base.heldBytes!)}`,
  );
  const rp = measure('report', file, n);
  row('report (markdown) of a run with this task', `${rp.reportMs!.toFixed(0)} ms`, `holds ${mb(rp.heldBytes!)}`);
  row('compare two such runs', `${rp.compareMs!.toFixed(0)} ms`);
}

function rescoreRows(file: string, n: number, row: Row): void {
  generateDataset(path.join(path.dirname(file), 'gsm8k.jsonl'), n);
  // Each sample in the file once more: the dataset's sample ids are what the generated predictions must carry.
  const ids = loadDatasetSync(
    {
      format: 'gsm8k',
      path: path.join(path.dirname(file), 'gsm8k.jsonl'),
      fewShot: 0,
      maxTokens: 64,
    } as unknown as Dataset,
    { root: '/', chat: true },
  ).samples.map((x) => x.id);
  rewritePredictions(
    file,
    ids.map((id, i) => ({ ...prediction(i), id })),
  );
  const rb = measure('rescore-baseline', file, n);
  const rs = measure('rescore', file, n);
  const rt = measure('rescore-task', file, n);
  const rate = (r: Record<string, number>) => Math.round(r.rescored! / (r.rescoreMs! / 1000));
  const cpuRate = (r: Record<string, number>) => Math.round(r.rescored! / (r.rescoreCpuMs! / 1000));
  const rates = (r: Record<string, number>) => `${rate(r).toLocaleString('en-US')}/s`;
  const detail = (r: Record<string, number>) =>
    `${(r.rescoreMs! / 1000).toFixed(1)} s (CPU ${(r.rescoreCpuMs! / 1000).toFixed(1)} s, GC ${(r.gcMs! / 1000).toFixed(1)} s); per CPU-second ${cpuRate(r).toLocaleString('en-US')}/s`;
  row('rescore (numeric scorer), baseline in memory', rates(rb), `${detail(rb)}; holds ${mb(rb.heldBytes!)}`);
  row(
    'rescore, streamed (predictions/s)',
    rates(rs),
    `${detail(rs)}; ${(rate(rs) / rate(rb)).toFixed(2)}× baseline; goal ≥ 100,000/s`,
  );
  row('rescore of the task (dataset, result.json)', rates(rt), `${detail(rt)}; rss ${mb(rt.rssBytes!)}`);
}

if (['baseline', 'indexed', 'rescore', 'rescore-baseline', 'rescore-task', 'report'].includes(process.argv[2] ?? ''))
  void child(process.argv[2]!, process.argv[3]!, Number(process.argv[4]));
else main();
