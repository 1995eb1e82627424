import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ClusterSchema, type Cluster } from '../../common/catalog/cluster';
import { ModelSchema, type Model } from '../../common/catalog/model';
import { PresetSchema } from '../../common/catalog/preset';
import type { Sample } from '../../remote-agent/datasets/types';
import { startEngine } from '../../remote-agent/engines/start';
import { EngineStartError, type EngineHandle, type StartEngineOptions } from '../../remote-agent/engines/types';
import { drive } from '../../remote-agent/generate/driver';
import type { GeneratedPrediction } from '../../remote-agent/generate/types';
import { buildStandin } from '../doubles/build';
import { ENGINE_FAILURES } from '../doubles/engine-failures';
import { standinConfig } from '../doubles/standin-config';
import { VllmStandin } from '../doubles/vllm-standin';

let standinJs = '';
const handles: EngineHandle[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-engines-'));

before(() => {
  standinJs = buildStandin();
});
after(async () => {
  await Promise.all(handles.map((h) => h.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cluster(template?: string): Cluster {
  return ClusterSchema.parse({ kind: 'local', workdir: tmp, ...(template ? { engines: { vllm: template } } : {}) });
}

function options(overrides: Partial<StartEngineOptions> & { model?: Model } = {}): StartEngineOptions {
  return {
    modelId: 'm',
    model: ModelSchema.parse({ hf: 'org/model-7b' }),
    preset: PresetSchema.parse({ engine: { maxNumSeqs: 16 } }),
    cluster: cluster(`${process.execPath} ${standinJs} serve {hf} --port {port} {args}`),
    healthTimeoutMs: 20_000,
    ...overrides,
  };
}

async function started(o: StartEngineOptions): Promise<EngineHandle> {
  const h = await startEngine(o);
  handles.push(h);
  return h;
}

async function startError(o: StartEngineOptions): Promise<EngineStartError> {
  try {
    handles.push(await startEngine(o));
  } catch (e) {
    assert.ok(e instanceof EngineStartError, `expected EngineStartError, got ${String(e)}`);
    return e;
  }
  assert.fail('the engine started');
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function chat(text: string, i = 0): Sample {
  return {
    id: `s${i}`,
    index: i,
    prompt: [{ role: 'user', content: text }],
    reference: '',
    referenceOutput: '',
    meta: { kind: 'jsonl' },
  };
}

describe("vllm engine through the cluster profile's command template (stand-in in vLLM's place)", () => {
  it("starts on a free loopback port, serves under the model's name, copies its output, and stops its whole process group", async () => {
    const output = new PassThrough();
    let logged = '';
    output.on('data', (c: Buffer) => (logged += c.toString()));
    const h = await started(
      options({
        output,
        model: ModelSchema.parse({
          hf: 'org/model-7b',
          engineArgs: ['--note', "it's $(touch /tmp/evalbench-pwned-$$)"],
        }),
      }),
    );
    assert.match(h.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(h.servedModel, 'org/model-7b');
    assert.equal(h.kind, 'vllm');
    assert.equal(h.version, '0.10.1-standin');
    assert.match(h.command, /--served-model-name org\/model-7b .*--max-num-seqs 16 /);
    assert.ok(h.command.includes(`'it'\\''s $(touch /tmp/evalbench-pwned-$$)'`), h.command);
    const models = (await (await fetch(`${h.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string }> };
    assert.equal(models.data[0]!.id, 'org/model-7b');
    assert.match(logged, /Application startup complete/);
    assert.match(
      h.outputTail(),
      /it's \$\(touch \/tmp\/evalbench-pwned-\$\$\)/,
      'the hostile argument arrived as one literal word',
    );
    await h.stop();
    assert.equal(groupAlive(h.pid!), false);
    await assert.rejects(fetch(`${h.baseUrl}/health`));
  });

  it('kills grandchildren too: everything in the group goes', async () => {
    const template = `sleep 300 & echo "grandchild $!"; ${process.execPath} ${standinJs} serve {hf} --port {port} {args}`;
    const h = await started(options({ cluster: cluster(template) }));
    const grandchild = Number(/grandchild (\d+)/.exec(h.outputTail())?.[1]);
    assert.ok(grandchild > 0);
    process.kill(grandchild, 0);
    await h.stop();
    assert.throws(() => process.kill(grandchild, 0), /ESRCH/);
  });

  for (const name of ['oom', 'gated'] as const) {
    it(`fails its start with the root cause from the engine's output (${name})`, async () => {
      const e = await startError(options({ env: { STANDIN_FAIL_START: name } }));
      assert.equal(e.rootCause, ENGINE_FAILURES[name]!.cause);
      assert.equal(e.how, 'exited with code 1');
      assert.equal(e.kind, name === 'oom' ? 'out_of_memory' : 'gated_repo');
      assert.match(e.message, /^engine failed to start \(exited with code 1\): /);
    });
  }

  it("notices the engine's exit even when a leftover child keeps its output open", async () => {
    const started = Date.now();
    const e = await startError(
      options({
        cluster: cluster('sleep 30 & echo "CUDA error: no kernel image is available" >&2; exit 3 # {port}'),
        healthTimeoutMs: 20_000,
      }),
    );
    assert.equal(e.how, 'exited with code 3');
    assert.equal(e.kind, 'cuda_error');
    assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
  });

  it('gives up at the health deadline, stops the engine, and says so', async () => {
    const started = Date.now();
    const e = await startError(options({ env: { STANDIN_FAIL_START: 'hang' }, healthTimeoutMs: 1500 }));
    assert.ok(Date.now() - started < 10_000);
    assert.match(e.how, /^not healthy by the deadline .* after \d+ s$/);
    assert.match(e.rootCause, /Loading model weights/);
  });

  it('reports a missing engine command as the root cause', async () => {
    const e = await startError(options({ cluster: cluster('no-such-vllm-binary serve {hf} --port {port} {args}') }));
    assert.equal(e.kind, 'missing_file');
    assert.match(e.rootCause, /no-such-vllm-binary: command not found/);
  });

  it('refuses a template without {port} before starting anything', async () => {
    const e = await startError(options({ cluster: cluster('vllm serve {hf}') }));
    assert.match(e.rootCause, /has no \{port\}/);
  });

  it('resolves `exited` when the engine dies mid-run', async () => {
    const h = await started(options({ env: { STANDIN_DIE_AFTER: '0' } }));
    const predictions: GeneratedPrediction[] = [];
    await drive({
      baseUrl: h.baseUrl,
      servedModel: h.servedModel,
      chat: true,
      samples: [chat('x')],
      settings: { temperature: 0, topP: 1, maxTokens: 4 },
      concurrency: 1,
      retries: 1,
      backoffMs: 1,
      onPrediction: (p) => void predictions.push(p),
    });
    assert.match(await h.exited, /exited with code 1/);
    assert.ok(predictions[0]!.error);
    assert.match(h.outputTail(), /illegal memory access/);
  });

  it('falls back to the built-in Transformers server when the cluster has no `transformers` command', async () => {
    // python3 is here, torch is not: the built-in server starts and fails on its import, which is the root cause.
    const model = ModelSchema.parse({ hf: 'openai-community/gpt2', backend: 'transformers' });
    const e = await startError(
      options({ model, cluster: ClusterSchema.parse({ kind: 'local', workdir: tmp }), env: { PATH: '/usr/bin:/bin' } }),
    );
    assert.equal(e.kind, 'missing_module');
    assert.match(e.rootCause, /No module named '(torch|transformers)'/);
  });
});

describe('endpoint engines', () => {
  let server: VllmStandin;
  let url = '';
  before(async () => {
    server = new VllmStandin(standinConfig({ servedModel: 'served-elsewhere' }));
    url = `http://127.0.0.1:${await server.listen()}/v1/`;
  });
  after(() => server.close());

  it('connects to a running server (backend "endpoint") and stops nothing', async () => {
    const h = await started(options({ model: ModelSchema.parse({ hf: 'org/remote', backend: 'endpoint', url }) }));
    assert.equal(h.baseUrl, url.replace(/\/v1\/$/, ''));
    assert.equal(h.servedModel, 'org/remote');
    assert.equal(h.command, '');
    await h.stop();
    assert.equal((await fetch(`${h.baseUrl}/health`)).status, 200);
  });

  it('takes the served model name from an endpoint override', async () => {
    const h = await started(options({ override: { kind: 'endpoint', url, model: 'served-elsewhere' } }));
    assert.equal(h.servedModel, 'served-elsewhere');
    const predictions: GeneratedPrediction[] = [];
    await drive({
      baseUrl: h.baseUrl,
      servedModel: h.servedModel,
      chat: true,
      samples: [chat('hello there')],
      settings: { temperature: 0, topP: 1, maxTokens: 8 },
      concurrency: 1,
      onPrediction: (p) => void predictions.push(p),
    });
    assert.equal(predictions[0]!.error, undefined);
  });

  it('fails fast when the endpoint is unreachable', async () => {
    const e = await startError(
      options({
        model: ModelSchema.parse({ hf: 'org/remote', backend: 'endpoint', url: 'http://127.0.0.1:9/v1' }),
        healthTimeoutMs: 500,
      }),
    );
    assert.match(
      e.rootCause,
      /endpoint http:\/\/127\.0\.0\.1:9 is not reachable: not healthy by the deadline \(.*ECONNREFUSED/,
    );
  });
});

describe('reference engine', () => {
  const samples: Sample[] = [
    { ...chat('What is 6*7?', 0), referenceOutput: 'The answer is 42.' },
    {
      id: 'txt',
      index: 1,
      prompt: 'def add(a, b):\n',
      reference: '',
      referenceOutput: '    return a + b\n',
      meta: { kind: 'jsonl' },
    },
    {
      id: 'mc',
      index: 2,
      prompt: '',
      choices: { context: 'Sky colour: ', continuations: ['green', 'blue', 'red'] },
      reference: 'B',
      referenceOutput: '1',
      meta: { kind: 'jsonl' },
    },
    { ...chat('Write a haiku.', 3), referenceOutput: 'An old silent pond', followUps: ['Now another.'] },
  ];

  async function generate(
    h: EngineHandle,
    list: Sample[],
    isChat: boolean,
  ): Promise<Record<string, GeneratedPrediction>> {
    const out: Record<string, GeneratedPrediction> = {};
    await drive({
      baseUrl: h.baseUrl,
      servedModel: h.servedModel,
      chat: isChat,
      samples: list,
      settings: { temperature: 0, topP: 1, maxTokens: 64 },
      concurrency: 4,
      retries: 0,
      onPrediction: (p) => void (out[p.id] = p),
    });
    return out;
  }

  it('answers every registered prompt with its reference output, labelled "reference"', async () => {
    const h = await started(options({ override: { kind: 'reference' } }));
    assert.equal(h.servedModel, 'reference');
    assert.equal(h.reference, true);
    h.registerSamples(samples);
    const chatOut = await generate(h, [samples[0]!, samples[2]!, samples[3]!], true);
    assert.equal(chatOut.s0!.output, 'The answer is 42.');
    assert.equal(chatOut.mc!.output, '1');
    assert.equal(chatOut.s3!.output, 'An old silent pond');
    const textOut = await generate(h, [samples[1]!, samples[0]!], false);
    assert.equal(textOut.txt!.output, '    return a + b\n');
    assert.equal(textOut.s0!.output, 'The answer is 42.', 'a chat sample sent to a base model is matched by its text');
  });

  it('refuses a prompt it was not given, so a mismatch shows as an error', async () => {
    const h = await started(options({ override: { kind: 'reference' } }));
    const out = await generate(h, [chat('never registered')], true);
    assert.match(out.s0!.error ?? '', /HTTP 400: reference engine: no registered sample has this prompt/);
  });
});
