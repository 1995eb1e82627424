import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freeLoopbackPort } from '../../../../remote-agent/engines/free-port';
import { loadValidCatalog } from '../../../../remote-agent/workspace/load';
import { standinConfig } from '../../../doubles/standin-config';
import { VllmStandin } from '../../../doubles/vllm-standin';
import { parseHtml } from '../../support/report/html-structure';

const ROOT = path.resolve(__dirname, '../../../..');
const AGENT = path.join(ROOT, 'dist/agent.js');
const WORKSPACE = path.join(ROOT, 'examples/workspace');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run demo` without its build step (test/run-all.sh builds first): the agent's demo command, from the repository root. */
function demo(args: string[], timeoutMs = 240_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AGENT, 'demo', ...args], {
      cwd: ROOT,
      env: { ...process.env, EVALBENCH_WORKDIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`demo did not finish in ${timeoutMs / 1000} s; output so far:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function runDirs(workdir: string): string[] {
  const runs = path.join(workdir, 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs) : [];
}

const skip = fs.existsSync(AGENT) ? false : 'dist/agent.js is not built (npm run build)';

describe('npm run demo: the self-check run on the local target', { skip }, () => {
  let workdir: string;
  let outcome: Outcome;
  const { catalog } = loadValidCatalog(WORKSPACE);
  const category = catalog.categories['quickstart']!;

  before(async () => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-demo-'));
    outcome = await demo(['--workdir', workdir, '--interval', '1']);
  });
  after(() => fs.rmSync(workdir, { recursive: true, force: true }));

  it('succeeds, ending with the score table and the path of the HTML report', () => {
    assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
    const lines = outcome.stdout.trimEnd().split('\n');
    assert.match(lines[lines.length - 1]!, /^HTML report: .*\/runs\/[0-9a-f-]+\/report\.html$/);
    assert.match(outcome.stdout, /^model\s+humaneval\s+mbpp\s+gsm8k/m);
  });

  it('is labelled as the self-check run in every output: start, progress, table, reports', () => {
    assert.match(outcome.stderr.split('\n')[0]!, /SELF-CHECK RUN/);
    assert.match(outcome.stderr, /^run \S+ \(SELF-CHECK RUN: reference engine\)/m, 'progress lines');
    assert.match(outcome.stdout, /^\nSELF-CHECK RUN — /);
    const [runId] = runDirs(workdir);
    const md = fs.readFileSync(path.join(workdir, 'runs', runId!, 'report.md'), 'utf8');
    assert.match(md.split('\n')[0]!, /SELF-CHECK RUN/);
    assert.match(outcome.stderr, /self-check passed: 21 tasks, every score 100%/);
  });

  it('ran every task of the category through a job per model, every score at 100%', () => {
    const [runId] = runDirs(workdir);
    const runDir = path.join(workdir, 'runs', runId!);
    const json = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    assert.equal(json.request.engineOverride.kind, 'reference');
    assert.equal(json.jobs.length, category.models.length, 'one job per model');
    for (const model of category.models)
      assert.ok(fs.existsSync(path.join(runDir, 'jobs', `${model}.sbatch`)), `job script of ${model}`);
    const html = fs.readFileSync(path.join(runDir, 'report.html'), 'utf8');
    const data = JSON.parse(
      parseHtml(html).elements.find((e) => e.tag === 'script' && e.attrs['id'] === 'report-data')!.text!,
    );
    assert.deepEqual(data.models, category.models);
    assert.deepEqual(
      data.scores.map((s: { dataset: string }) => s.dataset),
      category.datasets,
    );
    for (const s of data.scores)
      assert.deepEqual(
        s.values,
        category.models.map(() => 1),
        `${s.dataset}: every model at 100%`,
      );
    for (const model of category.models) {
      for (const dataset of category.datasets) {
        const result = JSON.parse(fs.readFileSync(path.join(runDir, 'tasks', model, dataset, 'result.json'), 'utf8'));
        assert.equal(result.value, 1, `${model}/${dataset}`);
        assert.ok(result.n > 0);
        const predictions = fs
          .readFileSync(path.join(runDir, 'tasks', model, dataset, 'predictions.jsonl'), 'utf8')
          .trim()
          .split('\n');
        assert.equal(predictions.length, result.n, `${model}/${dataset}: a prediction per sample`);
      }
    }
  });

  it('status --follow on the finished run prints its progress lines, then the status', () => {
    const [runId] = runDirs(workdir);
    const r = spawnSync(process.execPath, [AGENT, 'status', runId!, '--follow', '--workdir', workdir], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^run ${runId} \\(SELF-CHECK RUN: reference engine\\) done · 21/21 tasks finished`),
    );
    assert.equal(r.stderr.trimEnd().split('\n').length, 1 + 21, 'the run line and one line per task');
    assert.match(r.stdout, new RegExp(`^run ${runId}: DONE`));
  });

  it('writes an HTML report that parses, with the charts and the self-check banner', () => {
    const htmlPath = /^HTML report: (.*)$/m.exec(outcome.stdout)![1]!;
    const parsed = parseHtml(fs.readFileSync(htmlPath, 'utf8'));
    assert.deepEqual(parsed.errors, []);
    const canvases = parsed.elements.filter((e) => e.tag === 'canvas').map((e) => e.attrs['id']);
    assert.deepEqual(canvases, [...category.datasets.map((_, i) => `chart-score-${i}`), 'chart-throughput']);
    const scripts = parsed.elements.filter((e) => e.tag === 'script');
    assert.match(scripts[1]!.text!, /Chart\.js v4/);
    assert.ok(parsed.elements.some((e) => e.attrs['id'] === 'self-check'));
    const cells = parsed.elements.filter((e) => e.tag === 'td' && e.attrs['data-status']);
    assert.equal(cells.length, category.models.length * category.datasets.length, 'every task in the matrix');
    assert.ok(cells.every((e) => e.attrs['data-status'] === 'scored'));
  });
});

describe('npm run demo -- --endpoint URL --model NAME', { skip }, () => {
  let workdir: string;
  let standin: VllmStandin;
  let url: string;
  before(async () => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-demo-endpoint-'));
    standin = new VllmStandin(standinConfig({ servedModel: 'tiny-chat' }));
    url = `http://127.0.0.1:${await standin.listen()}/v1`;
  });
  after(async () => {
    await standin?.close();
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  it('evaluates the model served at the URL, as a model run (not a self-check)', async () => {
    const out = await demo(['--endpoint', url, '--model', 'tiny-chat', '--samples', '2', '--workdir', workdir]);
    assert.equal(out.code, 0, `${out.stdout}\n${out.stderr}`);
    assert.match(out.stderr, /evaluating "tiny-chat" served at http:\/\/127\.0\.0\.1:\d+ on category "quickstart"/);
    assert.doesNotMatch(out.stdout + out.stderr, /SELF-CHECK/);
    assert.match(out.stdout, /^tiny-chat\s/m, 'one row: the served model');
    const [runId] = runDirs(workdir);
    const run = JSON.parse(fs.readFileSync(path.join(workdir, 'runs', runId!, 'run.json'), 'utf8'));
    assert.deepEqual(run.request.engineOverride, { kind: 'endpoint', url, model: 'tiny-chat' });
    assert.ok(standin.stats.requests > 0, 'the server was asked');
  });

  it('says precisely that nothing answers at the URL, exits non-zero and creates no run', async () => {
    const port = await freeLoopbackPort();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-demo-none-'));
    try {
      const out = await demo(['--endpoint', `http://127.0.0.1:${port}/v1`, '--model', 'x', '--workdir', empty], 30_000);
      assert.equal(out.code, 1);
      assert.match(
        out.stderr,
        new RegExp(
          `nothing answers at http://127\\.0\\.0\\.1:${port}/v1: GET http://127\\.0\\.0\\.1:${port}/v1/models failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`,
        ),
      );
      assert.deepEqual(runDirs(empty), []);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names the models the server does serve when --model is not one of them', async () => {
    const out = await demo(['--endpoint', url, '--model', 'gpt-7', '--workdir', workdir], 30_000);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /does not serve "gpt-7"; it serves: tiny-chat/);
  });
});
