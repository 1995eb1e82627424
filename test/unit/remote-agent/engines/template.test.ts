import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { vllmArgs, builtinTransformersArgs } from '../../../../remote-agent/engines/args';
import { renderTemplate, shellQuote, templatePlaceholders } from '../../../../remote-agent/engines/template';

const HOSTILE = [
  "it's",
  'a b',
  '$(touch /tmp/evalbench-pwned)',
  '`id`',
  '"quoted"',
  'semi;colon',
  'new\nline',
  '',
  '*',
  '$HOME',
  'back\\slash',
];

/** What bash actually receives as argv after rendering. */
function argvOf(command: string): string[] {
  const out = execFileSync('bash', ['-c', command], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('engine command template', () => {
  it('quotes every hostile value so bash receives it unchanged, one word each', () => {
    for (const v of HOSTILE)
      assert.deepEqual(argvOf(`printf '%s\\0' ${shellQuote(v)}`), [v], `value ${JSON.stringify(v)}`);
  });

  it('leaves plain words unquoted', () => {
    assert.equal(shellQuote('Qwen/Qwen3-8B'), 'Qwen/Qwen3-8B');
    assert.equal(shellQuote('--max-model-len=8192'), '--max-model-len=8192');
  });

  it('expands {args} to several quoted words and substitutes {hf} and {port}', () => {
    const command = renderTemplate(`printf '%s\\0' {hf} --port {port} {args}`, {
      hf: "org/it's",
      port: 8123,
      args: ['--a', 'two words', '$(echo x)'],
    });
    assert.deepEqual(argvOf(command), ["org/it's", '--port', '8123', '--a', 'two words', '$(echo x)']);
  });

  it('keeps shell code and ${VAR} in a profile template as written', () => {
    const command = renderTemplate(`X=hello; printf '%s\\0' "\${X}" {hf} {port}`, { hf: 'o/m', port: 1, args: [] });
    assert.deepEqual(argvOf(command), ['hello', 'o/m', '1']);
  });

  it('substitutes {python} (python3 by default) and {server}', () => {
    assert.equal(
      renderTemplate('{python} {server} {hf} --port {port}', { hf: 'o/m', port: 2, args: [], server: '/tmp/a b/s.py' }),
      "python3 '/tmp/a b/s.py' o/m --port 2",
    );
    assert.deepEqual([...templatePlaceholders('{python} {server} {port}')].sort(), ['port', 'python', 'server']);
  });

  it('refuses a template without {port}, which would leave the engine unreachable', () => {
    assert.throws(() => renderTemplate('vllm serve {hf}', { hf: 'o/m', port: 1, args: [] }), /has no \{port\}/);
  });
});

describe('vllm flags from the preset and the model', () => {
  const preset = PresetSchema.parse({
    engine: {
      gpuMemoryUtilization: 0.9,
      maxNumSeqs: 128,
      maxModelLen: 4096,
      enablePrefixCaching: false,
      dtype: 'bfloat16',
    },
    generation: { seed: 7 },
  });

  function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  }

  it('maps every engine setting to its flag', () => {
    const model = ModelSchema.parse({
      hf: 'TheBloke/Llama-2-7B-AWQ',
      quantization: 'awq',
      revision: 'main',
      engineArgs: ['--trust-remote-code'],
    });
    const args = vllmArgs({ model, preset, tensorParallel: 2, servedModel: model.hf });
    assert.equal(flag(args, '--served-model-name'), 'TheBloke/Llama-2-7B-AWQ');
    assert.equal(flag(args, '--gpu-memory-utilization'), '0.9');
    assert.equal(flag(args, '--max-num-seqs'), '128');
    assert.equal(flag(args, '--max-model-len'), '4096');
    assert.equal(flag(args, '--tensor-parallel-size'), '2');
    assert.equal(
      flag(args, '--quantization'),
      undefined,
      'a pre-quantized checkpoint: vLLM picks the method (vllm-args.test.ts)',
    );
    assert.equal(flag(args, '--dtype'), 'bfloat16');
    assert.equal(flag(args, '--seed'), '7');
    assert.equal(flag(args, '--revision'), 'main');
    assert.equal(flag(args, '--host'), '127.0.0.1');
    assert.ok(args.includes('--no-enable-prefix-caching'));
    assert.equal(args[args.length - 1], '--trust-remote-code', "the model's own engineArgs come last so they win");
  });

  it('omits --quantization for unquantized models and takes max-model-len from the model when the preset has none', () => {
    const model = ModelSchema.parse({ hf: 'Qwen/Qwen3-8B', contextLength: 32768 });
    const args = vllmArgs({ model, preset: PresetSchema.parse({}), tensorParallel: 1, servedModel: model.hf });
    assert.ok(!args.includes('--quantization'));
    assert.equal(flag(args, '--max-model-len'), '32768');
    assert.ok(args.includes('--enable-prefix-caching'));
  });

  it('gives the built-in Transformers server its batch size from max-num-seqs', () => {
    const model = ModelSchema.parse({ hf: 'openai-community/gpt2', backend: 'transformers' });
    const args = builtinTransformersArgs({ model, preset, tensorParallel: 1, servedModel: 'openai-community/gpt2' });
    assert.equal(flag(args, '--max-batch-size'), '128');
    assert.equal(flag(args, '--served-model-name'), 'openai-community/gpt2');
  });
});
