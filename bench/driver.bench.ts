/**
 * Requests per second through the generation driver against the vLLM stand-in answering with zero latency (so the
 * driver, not the engine, is what is measured), beside a baseline measured in the same run: the same requests sent
 * one at a time, as the scripts evalbench replaces did. The stand-in runs in its own process, as an engine would.
 * Target: ≥ 5,000 requests/s on 2 cores.
 *
 * The CPU time each side spends per request is printed too: on a machine shared with other work the wall-clock rate
 * drops, while the CPU cost per request (and the rate two otherwise idle cores would sustain) stays comparable.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { Sample } from '../remote-agent/datasets/types';
import { drive } from '../remote-agent/generate/driver';
import type { DriveResult } from '../remote-agent/generate/types';
import { freeLoopbackPort } from '../remote-agent/engines/free-port';
import { waitForHealth } from '../remote-agent/engines/http-probe';
import { buildStandin } from '../test/doubles/build';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
const BASELINE_REQUESTS = Number(process.env.BENCH_BASELINE_REQUESTS ?? 4_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TARGET = 5_000;
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

function samples(n: number): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i),
    index: i,
    prompt: [{ role: 'user', content: `Question ${i}: what is ${i} + ${i}?` }],
    reference: String(2 * i),
    referenceOutput: String(2 * i),
    meta: { kind: 'jsonl' },
  }));
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

interface Measured {
  result: DriveResult;
  /** CPU microseconds per request of the driver's process and of the stand-in's. */
  driverUs?: number;
  standinUs?: number;
}

async function measure(baseUrl: string, standinPid: number, n: number, concurrency: number): Promise<Measured> {
  let errors = 0;
  const driver0 = cpuSeconds(process.pid);
  const standin0 = cpuSeconds(standinPid);
  const result = await drive({
    baseUrl,
    servedModel: 'bench/model',
    chat: true,
    samples: samples(n),
    settings: { temperature: 0, topP: 1, maxTokens: 16, seed: 1 },
    concurrency,
    onPrediction: (p) => {
      if (p.error) errors++;
    },
  });
  if (errors) throw new Error(`${errors} requests failed`);
  const driver1 = cpuSeconds(process.pid);
  const standin1 = cpuSeconds(standinPid);
  const perRequest = (a?: number, b?: number): number | undefined =>
    a === undefined || b === undefined ? undefined : ((b - a) / n) * 1e6;
  return { result, driverUs: perRequest(driver0, driver1), standinUs: perRequest(standin0, standin1) };
}

function line(label: string, m: Measured, n: number): string {
  const t = m.result.throughput;
  const cpu =
    m.driverUs !== undefined
      ? `; CPU per request: driver ${m.driverUs.toFixed(0)} µs, stand-in ${m.standinUs?.toFixed(0)} µs`
      : '';
  return `${label} ${t.requestsPerS.toFixed(0).padStart(6)} req/s  (${n} requests in ${t.wallS.toFixed(2)} s, p50 ${t.latencyP50Ms?.toFixed(2)} ms, p95 ${t.latencyP95Ms?.toFixed(2)} ms${cpu})`;
}

async function main(): Promise<void> {
  const standin = buildStandin();
  const port = await freeLoopbackPort();
  const child = spawn(process.execPath, [standin, 'serve', 'bench/model', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const health = await waitForHealth({ baseUrl, deadline: Date.now() + 20_000 });
    if (!health.healthy) throw new Error(`stand-in did not start: ${health.why}`);
    await measure(baseUrl, child.pid!, 2_000, CONCURRENCY); // warm-up: JIT, sockets
    const baseline = await measure(baseUrl, child.pid!, BASELINE_REQUESTS, 1);
    const pooled = await measure(baseUrl, child.pid!, REQUESTS, CONCURRENCY);
    const b = baseline.result.throughput.requestsPerS;
    const d = pooled.result.throughput.requestsPerS;
    console.log(
      `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}; stand-in in its own process, zero latency`,
    );
    console.log(line('baseline (one at a time):  ', baseline, BASELINE_REQUESTS));
    console.log(line(`driver (concurrency ${String(CONCURRENCY).padEnd(3)}):   `, pooled, REQUESTS));
    console.log(`ratio: ${(d / b).toFixed(2)}x; target ≥ ${TARGET} req/s: ${d >= TARGET ? 'met' : 'NOT met'}`);
    if (pooled.driverUs !== undefined && pooled.standinUs !== undefined) {
      // Each side on its own core; the busier side (or both together on two cores) sets the pace.
      const capacity = Math.min(
        1e6 / pooled.driverUs,
        1e6 / pooled.standinUs,
        2e6 / (pooled.driverUs + pooled.standinUs),
      );
      console.log(
        `from CPU cost: two otherwise idle cores would sustain ~${capacity.toFixed(0)} req/s (driver alone on one core: ~${(1e6 / pooled.driverUs).toFixed(0)} req/s)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
