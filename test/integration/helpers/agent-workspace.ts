import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before } from 'node:test';
import type { RunStatus } from '../../../common/run/records';
import { shellQuote } from '../../../remote-agent/slurm/quote';
import { buildStandin } from '../../doubles/build';

export const BUILT_AGENT = path.resolve(__dirname, '../../../dist/agent.js');

/** Why the SLURM tests cannot run here, or false. */
export const SKIP_WITHOUT_SLURM: string | false = !process.env.SLURM_CONF
  ? 'no test cluster: SLURM_CONF is not set (run test/run-all.sh, or eval the output of test/infra/start-cluster.sh)'
  : spawnSync('sbatch', ['--version']).status !== 0
    ? 'sbatch is not installed'
    : false;

/** A private copy of the built agent and the stand-in: a rebuild elsewhere during the tests changes neither. */
export function prepareBinaries(dir: string): { agent: string; standin: string } {
  if (!fs.existsSync(BUILT_AGENT)) throw new Error(`${BUILT_AGENT} is missing: run "npm run build" first`);
  const agent = path.join(dir, 'agent.js');
  fs.copyFileSync(BUILT_AGENT, agent);
  return { agent, standin: buildStandin(path.join(dir, 'standin.js')) };
}

/** For one test file: the binaries, prepared in a directory of `dir` before its tests (not at all when it skips). */
export function binariesBefore(
  dir: (prefix: string) => string,
  skip: string | false = false,
): { agent: string; standin: string } {
  const bins = { agent: '', standin: '' };
  before(() => {
    if (!skip) Object.assign(bins, prepareBinaries(dir('bins')));
  });
  return bins;
}

export interface DatasetSpec {
  /** prompt → reference; the stand-in answers from `answers` (prompt → output), else with its default text. */
  samples: Array<{ id: string; prompt: string; reference: string }>;
}

export interface WorkspaceSpec {
  dir: string;
  standin: string;
  models: Record<string, string>;
  datasets: Record<string, DatasetSpec>;
  /** Prompt substring → the stand-in's answer. */
  answers: Record<string, string>;
  categories?: Record<string, { models: string[]; datasets: string[] }>;
  /** Extra STANDIN_* variables in the engine command (latency, failures). */
  standinEnv?: Record<string, string>;
  /** Extra fields of both cluster profiles (setup lines, …). */
  clusterExtra?: Record<string, unknown>;
  maxNumSeqs?: number;
  workdir?: string;
  /** Extra fields per model id (engineArgs, chat, …). */
  modelExtra?: Record<string, Record<string, unknown>>;
  /** Datasets written as given: their catalog definition (path set to data/<id>.jsonl) and their records. */
  rawDatasets?: Record<string, { definition: Record<string, unknown>; records: unknown[] }>;
  /** Extra generation settings of the `test` preset (stream, …). */
  presetGeneration?: Record<string, unknown>;
}

/** A workspace whose `local` and `slurm` profiles start the vLLM stand-in through the engine command template. */
export function writeWorkspace(spec: WorkspaceSpec): { dir: string; statsFile: string } {
  const { dir } = spec;
  fs.mkdirSync(path.join(dir, '.evalbench'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const statsFile = path.join(dir, 'standin-requests.jsonl');
  const fixture = path.join(dir, 'fixture.json');
  fs.writeFileSync(
    fixture,
    JSON.stringify({ responses: Object.entries(spec.answers).map(([match, output]) => ({ match, output })) }),
  );
  const datasets: Record<string, unknown> = {};
  Object.entries(spec.datasets).forEach(([id, d], i) => {
    const file = `data/d${i}.jsonl`;
    fs.writeFileSync(
      path.join(dir, file),
      d.samples.map((s) => JSON.stringify({ id: s.id, question: s.prompt, answer: s.reference }) + '\n').join(''),
    );
    datasets[id] = {
      format: 'jsonl',
      path: file,
      fields: { id: 'id', prompt: 'question', reference: 'answer' },
      scorer: 'exact_match',
      maxTokens: 16,
    };
  });
  for (const [id, raw] of Object.entries(spec.rawDatasets ?? {})) {
    const file = `data/${id}.jsonl`;
    fs.writeFileSync(path.join(dir, file), raw.records.map((r) => JSON.stringify(r) + '\n').join(''));
    datasets[id] = { ...raw.definition, path: file };
  }
  const env = { STANDIN_FIXTURE: fixture, STANDIN_STATS_FILE: statsFile, ...spec.standinEnv };
  const template = `${Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ')} ${shellQuote(process.execPath)} ${shellQuote(spec.standin)} serve {hf} --port {port} {args}`;
  const common = { gpusPerNode: 4, node: process.execPath, engines: { vllm: template }, ...spec.clusterExtra };
  const write = (name: string, value: unknown) =>
    fs.writeFileSync(path.join(dir, '.evalbench', `${name}.jsonc`), JSON.stringify(value, null, 2));
  write(
    'models',
    Object.fromEntries(
      Object.entries(spec.models).map(([id, hf]) => [id, { hf, params: 1, chat: true, ...spec.modelExtra?.[id] }]),
    ),
  );
  write('datasets', datasets);
  write(
    'categories',
    spec.categories ?? { pair: { models: Object.keys(spec.models), datasets: Object.keys(datasets) } },
  );
  write('presets', {
    test: {
      engine: { maxNumSeqs: spec.maxNumSeqs ?? 4 },
      generation: { maxTokens: 16, requestTimeoutS: 30, ...spec.presetGeneration },
    },
  });
  write('clusters', {
    local: { kind: 'local', workdir: spec.workdir ?? 'wd-local', ...common },
    slurm: {
      kind: 'slurm',
      workdir: spec.workdir ?? 'wd-slurm',
      gpuType: 'h100',
      cpusPerGpu: 1,
      memPerGpuGb: 1,
      timeLimit: '10',
      ...common,
    },
  });
  return { dir, statsFile };
}

export interface AgentResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the agent CLI to its end (asynchronously, so the test process keeps serving its timers). */
export function agent(
  agentPath: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
): Promise<AgentResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [agentPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`agent ${args.join(' ')} ran past ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function statusOf(agentPath: string, runId: string, workdir: string): Promise<RunStatus> {
  const r = await agent(agentPath, ['status', runId, '--json', '--workdir', workdir]);
  if (r.code !== 0) throw new Error(`status failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as RunStatus;
}

/** Polls `probe` until it returns a value, or fails after the deadline with what it last saw. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Generation requests the stand-in received, per served model. */
export function requestCounts(statsFile: string): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!fs.existsSync(statsFile)) return counts;
  for (const line of fs.readFileSync(statsFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const model = (JSON.parse(line) as { model: string }).model;
    counts[model] = (counts[model] ?? 0) + 1;
  }
  return counts;
}

/** Distinct sample ids in a task's predictions.jsonl. */
export function predictedIds(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const ids = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    try {
      ids.add((JSON.parse(line) as { id: string }).id);
    } catch {
      // a torn or empty line
    }
  }
  return [...ids];
}

export function numberedSamples(prefix: string, n: number): DatasetSpec['samples'] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    prompt: `Question ${prefix}${i}: say ${prefix}${i}.`,
    reference: `${prefix}${i}`,
  }));
}

/** Fixture entries that make the stand-in answer these samples right (the final dot keeps "x1" from matching "x10"). */
export function rightAnswers(samples: DatasetSpec['samples']): Record<string, string> {
  return Object.fromEntries(samples.map((s) => [`say ${s.reference}.`, s.reference]));
}
