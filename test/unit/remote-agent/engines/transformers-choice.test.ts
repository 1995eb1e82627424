/**
 * Which Transformers server a job gets, and the flags `transformers serve` is given, against Transformers 4.57.6's own
 * src/transformers/commands/serving.py (read from its wheel).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { transformersServeArgs } from '../../../../remote-agent/engines/args';
import { bundledServerReasons } from '../../../../remote-agent/engines/transformers-choice';

const chatModel = ModelSchema.parse({ hf: 'org/chat', backend: 'transformers' });
const plain = PresetSchema.parse({});
const gsm8k = DatasetSchema.parse({ format: 'gsm8k', path: 'gsm8k.jsonl' });

describe('Transformers server choice', () => {
  it('leaves plain chat generation to `transformers serve`', () => {
    assert.deepEqual(bundledServerReasons(chatModel, plain, [gsm8k]), []);
  });

  it('needs the bundled server for completions: serving.py routes only @app.post("/v1/chat/completions") (and /v1/responses)', () => {
    assert.deepEqual(
      bundledServerReasons(ModelSchema.parse({ hf: 'org/base', backend: 'transformers', chat: false }), plain, [gsm8k]),
      ['a base model needs /v1/completions'],
    );
    const arc = DatasetSchema.parse({ format: 'multiple_choice', path: 'arc.jsonl', mode: 'loglikelihood' });
    assert.deepEqual(bundledServerReasons(chatModel, plain, [gsm8k, arc]), [
      'log-likelihood needs /v1/completions with echo and logprobs',
    ]);
  });

  it('needs it for what serving.py lists in UNUSED_CHAT_COMPLETION_FIELDS: "n", "stop", "stream_options"', () => {
    const withStop = DatasetSchema.parse({ format: 'gsm8k', path: 'g.jsonl', stop: ['Question:'] });
    assert.deepEqual(bundledServerReasons(chatModel, plain, [withStop]), ['stop sequences']);
    assert.deepEqual(
      bundledServerReasons(chatModel, PresetSchema.parse({ generation: { samplesPerPrompt: 5, temperature: 0.8 } }), [
        gsm8k,
      ]),
      ['samplesPerPrompt 5 needs n > 1'],
    );
    assert.deepEqual(bundledServerReasons(chatModel, PresetSchema.parse({ generation: { stream: true } }), [gsm8k]), [
      'streaming with usage in the last chunk (stream_options)',
    ]);
  });

  it('keeps `transformers serve` from unloading the model mid-job and passes the dtype', () => {
    // serving.py: model_timeout: int = field(default=300, metadata={"help": "Time in seconds after which a model will be removed from memory."})
    // serving.py: dtype: Optional[str] = field(default="auto", ... "choices": ["auto", "bfloat16", "float16", "float32"])
    // hf_argparser.py: long_options = [f"--{field.name}"]; if "_" in field.name: long_options.append(f"--{field.name.replace('_', '-')}")
    const args = transformersServeArgs({
      model: chatModel,
      preset: PresetSchema.parse({ engine: { dtype: 'bfloat16' } }),
      tensorParallel: 1,
      servedModel: 'org/chat',
    });
    assert.equal(args[args.indexOf('--dtype') + 1], 'bfloat16');
    assert.ok(Number(args[args.indexOf('--model-timeout') + 1]) >= 24 * 3600);
  });
});
