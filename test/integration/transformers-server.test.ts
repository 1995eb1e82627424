/**
 * The bundled Transformers server (remote-agent/engines/transformers_server.py + transformers_engine.py) for real:
 * real torch and transformers on the CPU, a tiny Llama model built from a config (test/gpu/make_tiny_model.py, nothing
 * downloaded), started the way a job starts it (startEngine, the profile's {server} template). Skips, saying why,
 * where no Python has torch (test/gpu/setup-torch.sh makes one).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterSchema } from '../../common/catalog/cluster';
import { ModelSchema } from '../../common/catalog/model';
import { PresetSchema } from '../../common/catalog/preset';
import type { Sample } from '../../remote-agent/datasets/types';
import { extractRootCause } from '../../remote-agent/engines/root-cause';
import { startEngine } from '../../remote-agent/engines/start';
import { writeTransformersServer } from '../../remote-agent/engines/transformers-server-script';
import type { EngineHandle } from '../../remote-agent/engines/types';
import { drive } from '../../remote-agent/generate/driver';
import { JsonClient, HttpStatusError } from '../../remote-agent/generate/http-client';
import type { GeneratedPrediction } from '../../remote-agent/generate/types';
import { makeTinyModel, torchPython } from './helpers/torch-python';

const found = torchPython();
const MAX_MODEL_LEN = 96;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-tf-server-'));
const modelDir = path.join(tmp, 'tiny');
let engine: EngineHandle | undefined;
let client: JsonClient;

type Json = Record<string, unknown>;
interface Choice {
  text: string;
  finish_reason: string;
  logprobs: { tokens: string[]; token_logprobs: Array<number | null>; text_offset: number[] } | null;
}
interface Completion {
  choices: Choice[];
  usage: { prompt_tokens: number; completion_tokens: number };
}

async function complete(body: Json): Promise<Completion> {
  return (await client.post(
    '/v1/completions',
    { model: 'tiny/model', temperature: 0, ...body },
    120_000,
  )) as Completion;
}

describe('bundled Transformers server on real torch', { skip: found.python ? false : found.why }, () => {
  before(async () => {
    makeTinyModel(found.python!, modelDir);
    // A base model (chat: false) needs /v1/completions, so the bundled server is chosen even from the default template;
    // here the profile names it, pointing at the local model directory (as a cluster would at its weights).
    const cluster = ClusterSchema.parse({
      kind: 'local',
      workdir: tmp,
      python: found.python,
      engines: { transformers: `{python} {server} ${modelDir} --port {port} {args}` },
    });
    engine = await startEngine({
      modelId: 'tiny',
      model: ModelSchema.parse({ hf: 'tiny/model', backend: 'transformers', chat: true }),
      preset: PresetSchema.parse({ engine: { maxNumSeqs: 8, maxModelLen: MAX_MODEL_LEN, dtype: 'float32' } }),
      cluster,
      healthTimeoutMs: 300_000,
    });
    client = new JsonClient(engine.baseUrl, 16);
  });
  after(async () => {
    client?.close();
    await engine?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('streams chat through the driver, with the token count from the usage chunk at the end', async () => {
    const samples: Sample[] = Array.from({ length: 3 }, (_, i) => ({
      id: String(i),
      index: i,
      prompt: [{ role: 'user', content: `Question ${i}: how many clips?` }],
      reference: '',
      referenceOutput: '',
      meta: { kind: 'jsonl' },
    }));
    const got: GeneratedPrediction[] = [];
    const r = await drive({
      baseUrl: engine!.baseUrl,
      servedModel: engine!.servedModel,
      samples,
      chat: true,
      settings: { temperature: 0, topP: 1, maxTokens: 6 },
      concurrency: 3,
      stream: true,
      onPrediction: (p) => void got.push(p),
    });
    assert.equal(r.errors, 0, JSON.stringify(got.map((p) => p.error)));
    assert.ok(r.latency, 'streamed requests are timed');
    for (const p of got) {
      assert.ok(
        p.completionTokens !== null && p.completionTokens > 0 && p.completionTokens <= 6,
        `completion tokens ${p.completionTokens}`,
      );
      assert.ok(p.promptTokens !== null && p.promptTokens > 0);
    }
  });

  it('applies a stop sequence during generation: the answer ends before it and fewer tokens are generated', async () => {
    const free = await complete({ prompt: 'Question: Natalia sold clips', max_tokens: 24 });
    const text = free.choices[0]!.text;
    assert.equal(free.usage.completion_tokens, 24, 'without a stop, the tiny model fills max_tokens');
    // A stop string that the unconstrained answer contains after a few characters.
    const from = Math.min(4, Math.max(1, text.length - 3));
    const stop = text.slice(from, from + 2);
    assert.ok(stop.length === 2 && stop.trim().length > 0, `usable stop in ${JSON.stringify(text)}`);
    const stopped = await complete({ prompt: 'Question: Natalia sold clips', max_tokens: 24, stop: [stop] });
    assert.equal(stopped.choices[0]!.text, text.slice(0, text.indexOf(stop)));
    assert.equal(stopped.choices[0]!.finish_reason, 'stop');
    assert.ok(stopped.usage.completion_tokens < 24, `stopped early: ${stopped.usage.completion_tokens} tokens`);
  });

  it('fails an over-long prompt alone with a 400, the requests batched with it still answered', async () => {
    const long = 'How many clips did Natalia sell altogether? '.repeat(20);
    const results = await Promise.allSettled([
      complete({ prompt: 'Answer: B', max_tokens: 4 }),
      complete({ prompt: long, max_tokens: 4 }),
      complete({ prompt: 'Question: which', max_tokens: 4 }),
    ]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[2]!.status, 'fulfilled');
    const failed = results[1]!;
    assert.equal(failed.status, 'rejected');
    const e = (failed as PromiseRejectedResult).reason as unknown;
    assert.ok(e instanceof HttpStatusError && e.status === 400, String(e));
    assert.match(e.message, new RegExp(`maximum context length is ${MAX_MODEL_LEN} tokens`));
  });

  it('scores echoed prompts in a batch exactly as one at a time, with tokens that add up to the prompt', async () => {
    const prompts = [
      'Answer: B',
      'Which of these is a source of light? Answer: the Sun',
      'Answer: A',
      'The quick brown fox',
      'How many clips? 72',
      'Question: 48',
    ];
    const body = (prompt: string): Json => ({ prompt, max_tokens: 1, echo: true, logprobs: 1 });
    const alone: Completion[] = [];
    for (const p of prompts) alone.push(await complete(body(p)));
    const together = await Promise.all(prompts.map((p) => complete(body(p))));
    prompts.forEach((prompt, i) => {
      const a = alone[i]!.choices[0]!.logprobs!;
      const b = together[i]!.choices[0]!.logprobs!;
      assert.equal(b.tokens.slice(0, alone[i]!.usage.prompt_tokens).join(''), prompt);
      assert.deepEqual(b.tokens, a.tokens);
      assert.deepEqual(b.text_offset, a.text_offset);
      b.token_logprobs.forEach((lp, k) =>
        lp === null
          ? assert.equal(a.token_logprobs[k], null)
          : assert.ok(
              Math.abs(lp - a.token_logprobs[k]!) < 1e-4,
              `${prompt} token ${k}: ${lp} vs ${a.token_logprobs[k]}`,
            ),
      );
      assert.equal(together[i]!.usage.prompt_tokens, alone[i]!.usage.prompt_tokens);
    });
  });

  it('returns n sampled completions per prompt', async () => {
    const r = await complete({ prompt: 'Question:', max_tokens: 5, n: 3, temperature: 1, seed: 7 });
    assert.equal(r.choices.length, 3);
    assert.ok(r.usage.completion_tokens > 0 && r.usage.completion_tokens <= 15);
  });

  it(
    'names the missing package when a model needs one (BioGPT: sacremoses), as the root cause',
    {
      skip:
        spawnSync(found.python ?? 'python3', ['-c', 'import sacremoses']).status === 0
          ? 'sacremoses is installed here'
          : false,
    },
    () => {
      const dir = path.join(tmp, 'biogpt');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'config.json'),
        JSON.stringify({ model_type: 'biogpt', architectures: ['BioGptForCausalLM'] }),
      );
      const server = writeTransformersServer();
      try {
        const r = spawnSync(found.python!, [server.file, dir, '--port', '1'], { encoding: 'utf8', timeout: 120_000 });
        assert.equal(r.status, 1);
        const cause = extractRootCause(`${r.stdout}\n${r.stderr}`);
        assert.equal(cause?.kind, 'missing_module');
        assert.match(cause!.message, /sacremoses/);
        assert.match(cause!.message, /pip install sacremoses/);
      } finally {
        server.remove();
      }
    },
  );
});
