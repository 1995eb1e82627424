/**
 * `transformers serve` itself (the real CLI, where the torch Python has it with its serving extras): plain chat goes
 * to it, the start waits for its lazy model load, and the driver's answers come back. The weights are a tiny model in
 * an offline Hugging Face cache, found by repo id as on a compute node without network. Skips, saying why, elsewhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ClusterSchema } from '../../common/catalog/cluster';
import { DatasetSchema } from '../../common/catalog/dataset';
import { ModelSchema } from '../../common/catalog/model';
import { PresetSchema } from '../../common/catalog/preset';
import type { Sample } from '../../remote-agent/datasets/types';
import { startEngine } from '../../remote-agent/engines/start';
import { driveCollecting } from './helpers/in-process-standin';
import { torchPython } from './helpers/torch-python';

function cli(): { bin?: string; why: string } {
  const found = torchPython();
  if (!found.python) return { why: found.why };
  if (!path.isAbsolute(found.python))
    return { why: `${found.python} is not a virtual environment with a transformers command` };
  const bin = path.dirname(found.python);
  const r = spawnSync(path.join(bin, 'transformers'), ['serve', '--help'], { encoding: 'utf8', timeout: 120_000 });
  return r.status === 0
    ? { bin, why: '' }
    : {
        why: `\`transformers serve\` cannot run here (needs fastapi, uvicorn, openai): ${(r.stderr || r.stdout).trim().split('\n').pop()}`,
      };
}

const serve = cli();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-tf-serve-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('`transformers serve` for plain chat', { skip: serve.bin ? false : serve.why }, () => {
  it('is chosen for plain chat, answers once its model has loaded, and every sample gets its answer', async () => {
    const hf = path.join(tmp, 'hf');
    const made = spawnSync(
      path.join(serve.bin!, 'python'),
      [
        path.join(__dirname, '..', 'gpu', 'make_tiny_model.py'),
        'unused',
        '--hf-cache',
        hf,
        '--repo',
        'evalbench/tiny-llama',
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    assert.equal(made.status, 0, made.stderr);
    let command = '';
    const engine = await startEngine({
      modelId: 'tiny',
      model: ModelSchema.parse({ hf: 'evalbench/tiny-llama', backend: 'transformers' }),
      preset: PresetSchema.parse({}),
      cluster: ClusterSchema.parse({ kind: 'local', workdir: tmp }),
      datasets: [DatasetSchema.parse({ format: 'gsm8k', path: 'g.jsonl' })],
      env: { PATH: `${serve.bin}:${process.env.PATH}`, HF_HOME: hf, HF_HUB_OFFLINE: '1' },
      healthTimeoutMs: 300_000,
      onCommand: (c) => (command = c),
    });
    try {
      assert.match(command, /^transformers serve /);
      // Started means loaded: the warm-up request loaded the model, so a first request answers within a short time-out.
      const samples: Sample[] = [0, 1, 2].map((i) => ({
        id: String(i),
        index: i,
        prompt: [{ role: 'user', content: `Question ${i}` }],
        reference: '',
        referenceOutput: '',
        meta: { kind: 'jsonl' },
      }));
      const { predictions, result } = await driveCollecting({
        baseUrl: engine.baseUrl,
        servedModel: engine.servedModel,
        samples,
        chat: true,
        settings: { temperature: 0, topP: 1, maxTokens: 4 },
        concurrency: 1,
        requestTimeoutMs: 60_000,
        retries: 0,
      });
      assert.equal(result.errors, 0, JSON.stringify(predictions.map((p) => p.error)));
      assert.ok(predictions.every((p) => typeof p.output === 'string' && p.finishReason !== null));
    } finally {
      await engine.stop();
    }
  });
});
