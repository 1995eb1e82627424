import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkpointQuantizations } from '../../../../remote-agent/runs/checkpoint-config';
import { ModelSchema } from '../../../../common/catalog/model';
import { quantizationWarning } from '../../../../common/run/quantization-check';

const COMMIT = 'a'.repeat(40);

/** A Hugging Face cache (the layout huggingface_hub writes) holding the given repositories' config.json. */
function hubCache(configs: Record<string, object>): string {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-hub-'));
  for (const [repo, config] of Object.entries(configs)) {
    const dir = path.join(cache, `models--${repo.replace('/', '--')}`);
    fs.mkdirSync(path.join(dir, 'refs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'refs', 'main'), COMMIT);
    fs.mkdirSync(path.join(dir, 'snapshots', COMMIT), { recursive: true });
    fs.writeFileSync(path.join(dir, 'snapshots', COMMIT, 'config.json'), JSON.stringify(config));
  }
  return cache;
}

describe("catalog quantization against the checkpoint's config", () => {
  const models = {
    fp16AsAwq: ModelSchema.parse({ hf: 'WizardLM/WizardMath-70B-V1.0', quantization: 'awq' }),
    realAwq: ModelSchema.parse({ hf: 'TheBloke/WizardMath-70B-V1.0-AWQ', quantization: 'awq' }),
    awqAsNone: ModelSchema.parse({ hf: 'Qwen/Qwen2.5-7B-Instruct-AWQ' }),
    forcedWrong: ModelSchema.parse({ hf: 'TheBloke/Llama-2-7B-GPTQ', quantization: 'gptq', forceQuantization: 'awq' }),
    forcedMarlin: ModelSchema.parse({
      hf: 'TheBloke/Llama-2-7B-GPTQ',
      quantization: 'gptq',
      forceQuantization: 'gptq_marlin',
    }),
    notCached: ModelSchema.parse({ hf: 'org/not-cached-AWQ', quantization: 'awq' }),
    plainNotCached: ModelSchema.parse({ hf: 'org/plain' }),
  };
  const cache = hubCache({
    'WizardLM/WizardMath-70B-V1.0': { architectures: ['LlamaForCausalLM'] },
    // TheBloke's AWQ exports carry `"quantization_config": {"quant_method": "awq", "bits": 4, …}`.
    'TheBloke/WizardMath-70B-V1.0-AWQ': {
      quantization_config: { quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, version: 'gemm' },
    },
    'Qwen/Qwen2.5-7B-Instruct-AWQ': { quantization_config: { quant_method: 'awq', bits: 4 } },
    'TheBloke/Llama-2-7B-GPTQ': { quantization_config: { quant_method: 'gptq', bits: 4 } },
  });
  const found = checkpointQuantizations(models, { HF_HOME: path.dirname(cache), HF_HUB_CACHE: cache });
  const warning = (id: keyof typeof models) => quantizationWarning(id, models[id], found[id]);

  it('reads quant_method from config.json in the Hub cache layout, and says unknown when it is not cached', () => {
    assert.deepEqual(found.realAwq, { method: 'awq' });
    assert.deepEqual(found.fp16AsAwq, { method: null });
    assert.equal(found.notCached, 'unknown');
  });

  it('warns when the catalog says awq but the checkpoint is not quantized (the old WizardMath entry)', () => {
    const w = warning('fp16AsAwq')!;
    assert.equal(w.code, 'quantization_mismatch');
    assert.match(w.message, /no quantization_config: vLLM loads it unquantized/);
    assert.equal(warning('realAwq'), undefined);
  });

  it('warns when a quantized checkpoint is catalogued as unquantized', () => {
    assert.match(warning('awqAsNone')!.message, /quantized \("awq"\) but the catalog says "quantization": "none"/);
  });

  it('warns that vLLM will refuse a forced method the checkpoint does not have, but not a Marlin variant of it', () => {
    // vllm/config _verify_quantization: "Quantization method specified in the model config ({quant_method}) does not
    // match the quantization method specified in the `quantization` argument ({self.quantization})."
    assert.match(
      warning('forcedWrong')!.message,
      /does not match the quantization method specified in the `quantization` argument \(awq\)/,
    );
    assert.equal(warning('forcedMarlin'), undefined);
  });

  it('says a quantized model is unchecked when its config is not cached; says nothing of an unquantized one', () => {
    assert.equal(warning('notCached')!.code, 'quantization_unchecked');
    assert.equal(quantizationWarning('plainNotCached', models.plainNotCached, 'unknown'), undefined);
    assert.equal(
      quantizationWarning('notCached', models.notCached, undefined),
      undefined,
      'nothing when the agent did not look',
    );
  });
});
