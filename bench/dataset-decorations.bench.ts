/**
 * Verdicts on the lines of a 100,000-record dataset file (issue 16). From opening the file to the visible range's
 * decorations: the editor's lines (split, as a document is), the line → sample-id mapping, the verdicts of two models
 * asked by id from the agent's own tasks/predictions code (through the RPC's zod schema, as on the wire), and the line
 * texts. Records carry no id (GSM8K): an id is a position, so a range at the end of the file reads every line before it
 * once — the worst case. The baseline, measured in the same run: reading every prediction of the two tasks, what a
 * viewer without id lookups pays. Then the memory the editor holds per 100,000 records.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { TasksPredictions } from '../common/protocol/agent-methods';
import type { Prediction } from '../common/run/records';
import { LineIdMap, type LineSource } from '../src/datasets/line-ids';
import { VerdictCache } from '../src/datasets/verdict-cache';
import { lineSummary } from '../src/datasets/verdict-text';
import { clearTaskIndexCache } from '../remote-agent/runs/task-index';
import { queryPredictions } from '../remote-agent/runs/predictions-query';
import { RunPaths } from '../remote-agent/store/layout';

const N = Number(process.env.BENCH_DATASET_LINES ?? 100_000);
const VISIBLE = 60;
const MARGIN = 40;
const MODELS = ['qwen3-8b', 'mistral-7b'];

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function record(i: number): string {
  return JSON.stringify({
    question: `A farmer has ${i} sheep and buys ${i % 17} more. How many sheep does the farmer have now?`,
    answer: `${i} + ${i % 17} = ${i + (i % 17)}\n#### ${i + (i % 17)}`,
  });
}

function prediction(model: string, i: number): Prediction {
  const pass = (i + model.length) % 3 !== 0;
  const answer = i + (i % 17) + (pass ? 0 : 1);
  return {
    id: String(i),
    index: i,
    prompt: `Question ${i}`,
    output: `So the farmer has ${answer} sheep.\n#### ${answer}`,
    finishReason: 'stop',
    promptTokens: 40,
    completionTokens: 20,
    latencyMs: 100,
    verdict: pass ? 'pass' : 'fail',
    reason: pass ? 'correct' : 'wrong answer',
    extracted: String(answer),
    reference: String(i + (i % 17)),
    time: new Date(1_750_000_000_000 + i).toISOString(),
  };
}

function docOf(text: string): LineSource {
  const lines = text.split('\n');
  return { lineCount: lines.length, version: 1, lineAt: (l) => ({ text: lines[l]! }), getText: () => text };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-decorations-'));
  try {
    const text = Array.from({ length: N }, (_, i) => record(i)).join('\n') + '\n';
    const paths = new RunPaths(path.join(dir, 'runs', 'bench-run'));
    for (const model of MODELS) {
      const file = paths.predictions(model, 'gsm8k');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        Array.from({ length: N }, (_, i) => JSON.stringify(prediction(model, i))).join('\n') + '\n',
      );
    }
    console.log(
      `${N.toLocaleString('en-US')} records (${(text.length / 1e6).toFixed(1)} MB), ${MODELS.length} models' predictions`,
    );
    // The agent's index is built when a task is first read (once per task, on the cluster): not the editor's cost.
    for (const model of MODELS) queryPredictions(paths, model, 'gsm8k', { offset: 0, limit: 1 });

    const fetch = async (_run: string, model: string, dataset: string, ids: string[]) => {
      const answer = queryPredictions(paths, model, dataset, { offset: 0, limit: ids.length, ids });
      return TasksPredictions.result.parse(JSON.parse(JSON.stringify(answer))).items;
    };
    const openAndPaint = async (first: number): Promise<number> => {
      const t = performance.now();
      const map = new LineIdMap({ format: 'gsm8k', fewShot: 0 }, 'gsm8k.jsonl', docOf(text));
      const records = map.recordsIn(first - MARGIN, first + VISIBLE + MARGIN).filter((r) => r.id !== undefined);
      const cache = new VerdictCache(fetch);
      await cache.load(
        'run',
        'gsm8k',
        MODELS,
        records.map((r) => r.id!),
      );
      let chars = 0;
      for (const r of records)
        chars += lineSummary(MODELS.map((m) => ({ model: m, lite: cache.peek('run', m, 'gsm8k', r.id!) ?? null }))).text
          .length;
      if (!chars) throw new Error('nothing painted');
      return performance.now() - t;
    };
    const runs = (f: () => Promise<number>) => (async () => median([await f(), await f(), await f()]))();
    const top = await runs(() => openAndPaint(0));
    const bottom = await runs(() => openAndPaint(N - VISIBLE));

    const baseline = median(
      [0, 1, 2].map(() => {
        clearTaskIndexCache();
        const t = performance.now();
        let n = 0;
        for (const model of MODELS)
          for (const line of fs.readFileSync(paths.predictions(model, 'gsm8k'), 'utf8').split('\n'))
            if (line) n += (JSON.parse(line) as Prediction).verdict ? 1 : 0;
        if (n !== N * MODELS.length) throw new Error(`read ${n}`);
        return performance.now() - t;
      }),
    );
    console.log('\nopening the file to the visible range decorated (median of 3; goal under 300 ms):');
    console.log(`  visible range at the top     ${top.toFixed(0).padStart(6)} ms`);
    console.log(
      `  visible range at the end     ${bottom.toFixed(0).padStart(6)} ms   (ids are positions: every line before it read once)`,
    );
    console.log(`  baseline: read every prediction of the ${MODELS.length} tasks ${baseline.toFixed(0)} ms`);
    console.log(
      `  ratio: the top range costs 1/${Math.max(1, Math.round(baseline / top))}, the end range 1/${Math.max(1, Math.round(baseline / bottom))} of the baseline`,
    );

    // Memory held: the mapping after a scan of every line, and the verdicts of 100,000 records of one model.
    const doc = docOf(text);
    gc();
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const map = new LineIdMap({ format: 'gsm8k', fewShot: 0 }, 'gsm8k.jsonl', doc);
    map.recordsIn(N - 1, N - 1);
    gc();
    const afterMap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const cache = new VerdictCache(fetch);
    const ids = Array.from({ length: N }, (_, i) => String(i));
    await cache.load('run', 'gsm8k', [MODELS[0]!], ids);
    gc();
    const afterCache = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const per100k = (bytes: number, n: number) =>
      `${(((bytes / n) * 100_000) / 1e6).toFixed(1)} MB per 100,000 records`;
    console.log("\nmemory held (heap + array buffers, after gc; the document text itself is the editor's):");
    console.log(`  line → id mapping, every line read: ${per100k(afterMap - before, N)}`);
    console.log(
      `  verdict cache, ${cache.size.toLocaleString('en-US')} records of one model (cap 20,000 per task): ${per100k(afterCache - afterMap, cache.size)}`,
    );
    if (map.recordsIn(0, 0).length !== 1) throw new Error('the map was collected before measuring');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
