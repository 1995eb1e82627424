/**
 * Which server a Transformers job starts, as startEngine renders and runs it. `transformers` here is /bin/false under
 * that name: only the rendered command is looked at (the start then fails, as it should, with the engine's exit).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ClusterSchema } from '../../common/catalog/cluster';
import { DatasetSchema } from '../../common/catalog/dataset';
import { ModelSchema } from '../../common/catalog/model';
import { PresetSchema } from '../../common/catalog/preset';
import { startEngine } from '../../remote-agent/engines/start';
import { EngineStartError, type StartEngineOptions } from '../../remote-agent/engines/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-tf-start-'));
const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
fs.symlinkSync('/bin/false', path.join(bin, 'transformers'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function commandOf(o: Partial<StartEngineOptions>): Promise<{ command?: string; error: EngineStartError }> {
  let command: string | undefined;
  try {
    const h = await startEngine({
      modelId: 'm',
      model: ModelSchema.parse({ hf: 'org/chat-model', backend: 'transformers' }),
      preset: PresetSchema.parse({}),
      cluster: ClusterSchema.parse({ kind: 'local', workdir: tmp }),
      env: { PATH: `${bin}:/usr/bin:/bin` },
      healthTimeoutMs: 20_000,
      onCommand: (c) => (command = c),
      ...o,
    });
    await h.stop();
  } catch (e) {
    assert.ok(e instanceof EngineStartError, String(e));
    return { command, error: e };
  }
  assert.fail('started');
}

describe('Transformers backend: which server', () => {
  it('runs `transformers serve` for plain chat generation when the cluster has it', async () => {
    const { command } = await commandOf({ datasets: [DatasetSchema.parse({ format: 'gsm8k', path: 'g.jsonl' })] });
    assert.match(command!, /^transformers serve --port \d+ --host 127\.0\.0\.1 --dtype auto --model-timeout \d+$/);
  });

  it('runs the bundled server when a dataset needs log-likelihood, although `transformers` is on PATH', async () => {
    const { command } = await commandOf({
      datasets: [DatasetSchema.parse({ format: 'multiple_choice', path: 'arc.jsonl', mode: 'loglikelihood' })],
    });
    assert.match(
      command!,
      /transformers_server\.py'? org\/chat-model --port \d+ --host 127\.0\.0\.1 --served-model-name org\/chat-model/,
    );
  });

  it('refuses a profile template that runs transformers serve for a job that needs the bundled one, naming why and the fix', async () => {
    const cluster = ClusterSchema.parse({
      kind: 'local',
      workdir: tmp,
      engines: { transformers: 'module load hf && transformers serve --port {port} {args}' },
    });
    const { command, error } = await commandOf({
      cluster,
      model: ModelSchema.parse({ hf: 'org/base', backend: 'transformers', chat: false }),
    });
    assert.equal(command, undefined, 'nothing was run');
    assert.match(
      error.rootCause,
      /needs evalbench's bundled one \(a base model needs \/v1\/completions\): name \{server\} in the template/,
    );
  });
});
