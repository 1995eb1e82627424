import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { drive } from '../../../../remote-agent/generate/driver';
import { parseCompletion } from '../../../../remote-agent/generate/openai-response';
import { splitReasoning } from '../../../../remote-agent/generate/reasoning';
import { chatTemplateKwargsFor } from '../../../../remote-agent/generate/settings';
import type { GeneratedPrediction, RequestSettings } from '../../../../remote-agent/generate/types';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { standinConfig, type StandinConfig } from '../../../doubles/standin-config';
import { VllmStandin } from '../../../doubles/vllm-standin';

const servers: VllmStandin[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function standin(overrides: Partial<StandinConfig>): Promise<string> {
  const server = new VllmStandin(
    standinConfig({ responses: [{ match: 'capital of France', output: 'The answer is Paris.' }], ...overrides }),
    () => void server.close(),
  );
  servers.push(server);
  return `http://127.0.0.1:${await server.listen()}`;
}

const sample = {
  id: 's1',
  index: 0,
  prompt: [{ role: 'user', content: 'What is the capital of France?' }],
  referenceOutput: 'Paris',
} as unknown as Sample;

async function one(
  baseUrl: string,
  settings: Partial<RequestSettings> = {},
  stream = false,
): Promise<GeneratedPrediction> {
  const got: GeneratedPrediction[] = [];
  await drive({
    baseUrl,
    servedModel: 'test/model',
    samples: [sample],
    chat: true,
    settings: { temperature: 0, topP: 1, maxTokens: 64, ...settings },
    concurrency: 1,
    stream,
    onPrediction: (p) => void got.push(p),
  });
  assert.equal(got[0]!.error, undefined);
  return got[0]!;
}

describe('reasoning kept apart from the answer', () => {
  it('splits a leading <think> block, a </think> whose <think> was in the prompt, and an unfinished thought', () => {
    assert.deepEqual(splitReasoning('<think>\nadd 2 and 2\n</think>\n\nThe answer is 4.'), {
      answer: 'The answer is 4.',
      reasoning: 'add 2 and 2',
    });
    assert.deepEqual(splitReasoning('add 2 and 2\n</think>\n\n4'), { answer: '4', reasoning: 'add 2 and 2' });
    assert.deepEqual(splitReasoning('<think>\nstill thinking when max_tokens hit'), {
      answer: '',
      reasoning: 'still thinking when max_tokens hit',
    });
    assert.deepEqual(splitReasoning('no thinking here, <think> mentioned later'), {
      answer: 'no thinking here, <think> mentioned later',
      reasoning: '',
    });
  });

  it("reads vLLM's reasoning_content (reasoning parser on) beside the answer", () => {
    // vllm/entrypoints/openai/protocol.py ChatMessage: `reasoning_content: Optional[str] = None`
    const r = parseCompletion(
      {
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Paris', reasoning_content: 'France → Paris' },
            finish_reason: 'stop',
          },
        ],
      },
      true,
    );
    assert.deepEqual([r.texts, r.reasonings], [['Paris'], ['France → Paris']]);
  });

  for (const parser of [undefined, 'qwen3']) {
    for (const stream of [false, true]) {
      it(`a thinking model: scorers see only the answer (${parser ? 'reasoning parser' : 'no parser, <think> in the text'}, ${stream ? 'streamed' : 'not streamed'})`, async () => {
        const p = await one(await standin({ thinks: true, reasoningParser: parser }), {}, stream);
        assert.equal(p.output, 'The answer is Paris.');
        assert.match(p.reasoning ?? '', /standin reasons about/);
        assert.doesNotMatch(p.output, /think/);
      });
    }
  }

  it('sends chat_template_kwargs: {"enable_thinking": false} stops the thinking', async () => {
    const p = await one(await standin({ thinks: true }), { chatTemplateKwargs: { enable_thinking: false } });
    assert.equal(p.output, 'The answer is Paris.');
    assert.equal(p.reasoning, undefined);
  });

  it("merges the model's chat_template_kwargs with the preset's, the preset winning", () => {
    const model = ModelSchema.parse({ hf: 'Qwen/Qwen3-8B', chatTemplateKwargs: { enable_thinking: false, x: 1 } });
    assert.deepEqual(
      chatTemplateKwargsFor(
        model,
        PresetSchema.parse({ generation: { chatTemplateKwargs: { enable_thinking: true } } }),
      ),
      { enable_thinking: true, x: 1 },
    );
    assert.deepEqual(chatTemplateKwargsFor(model, PresetSchema.parse({})), { enable_thinking: false, x: 1 });
    assert.equal(chatTemplateKwargsFor(ModelSchema.parse({ hf: 'a/b' }), PresetSchema.parse({})), undefined);
  });
});
