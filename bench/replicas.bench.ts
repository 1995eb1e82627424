/**
 * Data-parallel replicas: the generation driver's achieved throughput as a fraction of the engines' capacity, at 1 and
 * 4 replicas, against a capacity-modelled engine (bench/support/capacity-engine.ts: at most maxNumSeqs sequences at
 * once per replica, each holding its slot for tokens × tokenMs). Capacity is measured in the same run too: a plain
 * loader that keeps exactly maxNumSeqs requests in flight on each replica by itself (no driver, no spreading).
 * Each is run ROUNDS times, interleaved, keeping the best (a shared machine's load is noise, not the driver).
 * The driver is given what a job gives it: concurrency maxNumSeqs × replicas and the replicas' URLs.
 * Target: ≥ 0.95 of capacity at both sizes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Sample } from '../remote-agent/datasets/types';
import { drive } from '../remote-agent/generate/driver';

const MAX_NUM_SEQS = Number(process.env.BENCH_MAX_NUM_SEQS ?? 16);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 32);
const TOKEN_MS = Number(process.env.BENCH_TOKEN_MS ?? 10);
/** Requests per slot: how many times each sequence slot is refilled (more waves, smaller ramp-down tail). */
const WAVES = Number(process.env.BENCH_WAVES ?? 25);
const TARGET = 0.95;
/** Each side is measured this often, interleaved, and its best run kept: a machine shared with other work adds noise. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function samples(n: number): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i),
    index: i,
    prompt: [{ role: 'user', content: `q${i}` }],
    reference: '',
    referenceOutput: '',
    meta: { kind: 'jsonl' },
  }));
}

async function startEngines(replicas: number): Promise<{ child: ChildProcess; urls: string[] }> {
  const file = path.join(__dirname, 'support', 'capacity-engine.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', file, String(replicas), String(MAX_NUM_SEQS), String(TOKENS), String(TOKEN_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`capacity engine exited with ${code}`)));
  });
  return { child, urls: (JSON.parse(first) as number[]).map((p) => `http://127.0.0.1:${p}`) };
}

/** Requests per second through the driver, spread over the replicas. */
async function viaDriver(urls: string[], n: number): Promise<number> {
  let errors = 0;
  const started = performance.now();
  await drive({
    baseUrl: urls[0]!,
    replicaBaseUrls: urls,
    servedModel: 'bench/model',
    chat: true,
    samples: samples(n),
    settings: { temperature: 0, topP: 1, maxTokens: TOKENS },
    concurrency: MAX_NUM_SEQS * urls.length,
    onPrediction: (p) => {
      if (p.error) errors++;
    },
  });
  if (errors) throw new Error(`${errors} requests failed`);
  return n / ((performance.now() - started) / 1000);
}

function post(agent: http.Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'bench/model', messages: [{ role: 'user', content: 'q' }] });
    const req = http.request(
      `${url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests per second of a loader that fills each replica's slots on its own: what the engines can do. */
async function direct(urls: string[], agents: http.Agent[], n: number): Promise<number> {
  const perReplica = Math.floor(n / urls.length);
  const started = performance.now();
  await Promise.all(
    urls.map(async (url, r) => {
      const agent = agents[r]!;
      let left = perReplica;
      await Promise.all(
        Array.from({ length: MAX_NUM_SEQS }, async () => {
          while (left > 0) {
            left--;
            await post(agent, url);
          }
        }),
      );
    }),
  );
  return (perReplica * urls.length) / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const perRequestMs = TOKENS * TOKEN_MS;
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}`,
  );
  console.log(
    `engine model: maxNumSeqs ${MAX_NUM_SEQS} per replica, ${TOKENS} tokens × ${TOKEN_MS} ms = ${perRequestMs} ms per sequence`,
  );
  let met = true;
  for (const replicas of [1, 4]) {
    const { child, urls } = await startEngines(replicas);
    const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: MAX_NUM_SEQS }));
    try {
      const n = MAX_NUM_SEQS * replicas * WAVES;
      const warm = MAX_NUM_SEQS * replicas * 2; // warm-up of both sides: JIT, sockets
      await direct(urls, agents, warm);
      await viaDriver(urls, warm);
      const modelled = (replicas * MAX_NUM_SEQS * 1000) / perRequestMs;
      let measured = 0;
      let achieved = 0;
      for (let round = 0; round < ROUNDS; round++) {
        measured = Math.max(measured, await direct(urls, agents, n));
        achieved = Math.max(achieved, await viaDriver(urls, n));
      }
      const fraction = achieved / measured;
      met &&= fraction >= TARGET;
      console.log(
        `${replicas} replica${replicas > 1 ? 's' : ' '}: driver ${achieved.toFixed(1)} req/s; capacity measured ${measured.toFixed(1)} req/s (modelled ${modelled.toFixed(1)}); ` +
          `fraction ${fraction.toFixed(3)} of measured, ${(achieved / modelled).toFixed(3)} of modelled (${n} requests, best of ${ROUNDS})`,
      );
    } finally {
      for (const a of agents) a.destroy();
      child.kill('SIGTERM');
    }
  }
  console.log(`target ≥ ${TARGET} of capacity at 1 and 4 replicas: ${met ? 'met' : 'NOT met'}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
