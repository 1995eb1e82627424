import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vllmArgs } from '../../../../remote-agent/engines/args';
import { ModelSchema } from '../../../../common/catalog/model';
import { parseCatalogFile } from '../../../../common/catalog/parse';
import { PresetSchema } from '../../../../common/catalog/preset';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const preset = PresetSchema.parse({});

describe("vllm serve flags, as vLLM's own code reads them", () => {
  it('lets vLLM pick the kernel of a pre-quantized checkpoint: no --quantization for awq or gptq', () => {
    // vllm/model_executor/layers/quantization/awq_marlin.py override_quantization_method:
    //   if can_convert and is_valid_user_quant: ... "The model is convertible to {} during runtime. Using {} kernel."
    //   if can_convert and user_quant == "awq": logger.info("Detected that the model can run with awq_marlin, however
    //   you specified quantization=awq explicitly, so forcing awq. Use quantization=awq_marlin for faster inference")
    // gptq_marlin.py says the same of gptq. And config (_verify_quantization), with no --quantization:
    //   `if self.quantization is None: self.quantization = quant_method` (the checkpoint's quantization_config).
    for (const quantization of ['awq', 'gptq', 'fp8'] as const) {
      const model = ModelSchema.parse({ hf: 'TheBloke/WizardMath-70B-V1.0-AWQ', quantization });
      assert.equal(
        flag(vllmArgs({ model, preset, tensorParallel: 1, servedModel: model.hf }), '--quantization'),
        undefined,
        quantization,
      );
    }
  });

  it('passes --quantization only when the model forces one (quantizing at load time, e.g. fp8 of a bf16 checkpoint)', () => {
    const model = ModelSchema.parse({ hf: 'Qwen/Qwen3-8B', forceQuantization: 'fp8' });
    assert.equal(flag(vllmArgs({ model, preset, tensorParallel: 1, servedModel: model.hf }), '--quantization'), 'fp8');
    assert.throws(
      () => ModelSchema.parse({ hf: 'a/b', backend: 'transformers', forceQuantization: 'fp8' }),
      /is a vLLM flag; backend/,
    );
    assert.throws(
      () => ModelSchema.parse({ hf: 'a/b', forceQuantization: 'AWQ; rm -rf ~' }),
      /a vLLM quantization method/,
    );
  });

  it('asks for --generation-config vllm unless the preset says auto', () => {
    // vllm/config ModelConfig: `generation_config: str = "auto"` — "If set to `\"vllm\"`, no generation config is
    // loaded, vLLM defaults will be used." (otherwise the model's generation_config.json fills what requests leave out).
    assert.equal(
      flag(
        vllmArgs({ model: ModelSchema.parse({ hf: 'Qwen/Qwen3-8B' }), preset, tensorParallel: 1, servedModel: 'x' }),
        '--generation-config',
      ),
      'vllm',
    );
    const auto = PresetSchema.parse({ engine: { generationConfig: 'auto' } });
    assert.equal(
      flag(
        vllmArgs({
          model: ModelSchema.parse({ hf: 'Qwen/Qwen3-8B' }),
          preset: auto,
          tensorParallel: 1,
          servedModel: 'x',
        }),
        '--generation-config',
      ),
      'auto',
    );
  });

  it('turns prefix caching off for log-likelihood tasks, whatever the preset says', () => {
    // vllm/engine/arg_utils.py (CacheConfig): `--enable-prefix-caching`, `--no-enable-prefix-caching` (a
    // BooleanOptionalAction). sampling_params.py: "If prefix caching is enabled, the output of prompt logprobs may
    // less than n_prompt_tokens".
    const model = ModelSchema.parse({ hf: 'meta-llama/Llama-3.1-8B' });
    const caching = PresetSchema.parse({ engine: { enablePrefixCaching: true } });
    const ll = vllmArgs({ model, preset: caching, tensorParallel: 1, servedModel: 'x', loglikelihood: true });
    assert.ok(ll.includes('--no-enable-prefix-caching') && !ll.includes('--enable-prefix-caching'));
    const gen = vllmArgs({ model, preset: caching, tensorParallel: 1, servedModel: 'x' });
    assert.ok(gen.includes('--enable-prefix-caching') && !gen.includes('--no-enable-prefix-caching'));
  });
});

describe('presets vLLM would refuse', () => {
  it('greedy with several samples per prompt is a catalog error at generation.samplesPerPrompt', () => {
    // vllm/sampling_params.py: `if self.temperature < _SAMPLING_EPS:` ... `self._verify_greedy_sampling()`;
    // _verify_greedy_sampling: f"n must be 1 when using greedy sampling, got {self.n}."
    const r = PresetSchema.safeParse({ generation: { samplesPerPrompt: 5 } });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ['generation', 'samplesPerPrompt']);
    assert.match(r.error!.issues[0]!.message, /n must be 1 when using greedy sampling, got 5\./);
    assert.ok(PresetSchema.safeParse({ generation: { samplesPerPrompt: 5, temperature: 0.8 } }).success);
    assert.ok(PresetSchema.safeParse({ generation: { samplesPerPrompt: 1, temperature: 0 } }).success);
  });

  it('shows that error in presets.jsonc at the samplesPerPrompt field', () => {
    const text = `{\n  "pass-at-5": {\n    "generation": { "temperature": 0, "samplesPerPrompt": 5 }\n  }\n}`;
    const [p] = parseCatalogFile('presets', text).problems;
    assert.ok(p);
    assert.match(p.message, /pass-at-5\.generation\.samplesPerPrompt: .*greedy/);
    assert.equal(text.slice(p.offset, p.offset + p.length), '"samplesPerPrompt"');
  });
});
