import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { drive } from '../../../../remote-agent/generate/driver';
import { argmax, continuationLogprob, splitContinuation } from '../../../../remote-agent/generate/loglikelihood';
import { parseCompletion } from '../../../../remote-agent/generate/openai-response';
import { percentile } from '../../../../remote-agent/generate/throughput';
import type { GeneratedPrediction } from '../../../../remote-agent/generate/types';
import { tokenLogprob } from '../../../doubles/standin-logprobs';
import { standinConfig } from '../../../doubles/standin-config';
import { StandinTokenizer, TOKEN_MODES, type TokenMode } from '../../../doubles/standin-tokenizer';
import { VllmStandin } from '../../../doubles/vllm-standin';

const servers: VllmStandin[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function standin(
  tokenMode: TokenMode,
  extra: Partial<Parameters<typeof standinConfig>[0]> = {},
): Promise<string> {
  const server = new VllmStandin(standinConfig({ tokenMode, ...extra }), () => void server.close());
  servers.push(server);
  return `http://127.0.0.1:${await server.listen()}`;
}

/** ARC- and HellaSwag-shaped items: contexts ending in "Answer:" or mid-sentence, multi-word and punctuated continuations. */
const SAMPLES: Sample[] = [
  {
    context:
      'Question: Plants take in one gas from the air and give off another during the day. Which gas do plants absorb from the air?\nAnswer: ',
    continuations: ['carbon dioxide', 'oxygen', 'nitrogen', 'helium'],
  },
  {
    context: 'A man is sitting on a roof. He',
    continuations: [
      ' starts pulling up roofing on a roof.',
      ' is using wrap to wrap a pair of skis.',
      ' is ripping level tiles off.',
      " is holding a rubik's cube.",
    ],
  },
  { context: 'Question: What is 12 + 30?\nAnswer:', continuations: [' 42', ' 24', ' 1230', ' forty-two'] },
].map(
  (choices, index) =>
    ({ id: `q${index}`, index, prompt: choices.context, referenceOutput: '0', choices }) as unknown as Sample,
);

/**
 * lm-evaluation-harness's `_encode_pair` on the stand-in's own tokenizer: `whole_enc = self.tok_encode(context +
 * continuation)`, `context_enc = self.tok_encode(context)`, `continuation_enc = whole_enc[len(context_enc):]`.
 */
function tokenExactSums(mode: TokenMode, sample: Sample): number[] {
  const tok = new StandinTokenizer(mode);
  return sample.choices!.continuations.map((raw) => {
    const { context, continuation } = splitContinuation(sample.choices!.context, raw);
    const whole = tok.encode(context + continuation, true);
    const contextLen = tok.encode(context, true).length;
    return whole.slice(contextLen).reduce((sum, id) => sum + tokenLogprob(tok, new Set(), id), 0);
  });
}

/** The boundary by `text_offset`, as evalbench did before: correct only where echoed tokens spell the text exactly. */
function sumByTextOffset(
  lp: { tokens: string[]; token_logprobs: Array<number | null>; text_offset: number[] },
  contextChars: number,
  promptTokens: number,
): number {
  let sum = 0;
  for (let i = 0; i < promptTokens; i++)
    if (lp.text_offset[i]! + lp.tokens[i]!.length > contextChars) sum += lp.token_logprobs[i] ?? 0;
  return sum;
}

async function driveChoices(baseUrl: string): Promise<GeneratedPrediction[]> {
  const predictions: GeneratedPrediction[] = [];
  const r = await drive({
    baseUrl,
    servedModel: 'test/model',
    samples: SAMPLES,
    chat: false,
    settings: { temperature: 0, topP: 1, maxTokens: 1 },
    concurrency: 2,
    onPrediction: (p) => void predictions.push(p),
  });
  assert.equal(r.errors, 0, JSON.stringify(predictions.map((p) => p.error)));
  return predictions.sort((a, b) => a.index - b.index);
}

describe('log-likelihood by token counts', () => {
  for (const mode of TOKEN_MODES) {
    it(`gives the token-exact per-choice sums with a ${mode}-style tokenizer`, async () => {
      const predictions = await driveChoices(await standin(mode));
      for (const p of predictions) {
        const expected = tokenExactSums(mode, SAMPLES[p.index]!);
        const got = (p.details as { loglikelihoods: number[] }).loglikelihoods;
        assert.equal(got.length, expected.length);
        got.forEach((g, i) =>
          assert.ok(
            Math.abs(g - expected[i]!) < 1e-9,
            `${mode} sample ${p.index} choice ${i}: ${g} vs token-exact ${expected[i]}`,
          ),
        );
      }
    });
  }

  it('would have been wrong by text_offset with SentencePiece and Llama-3 tokenizers (what the counts fix)', async () => {
    for (const mode of ['llama2', 'mistral', 'llama3'] as const) {
      const baseUrl = await standin(mode);
      let wrong = 0;
      for (const sample of SAMPLES) {
        const exact = tokenExactSums(mode, sample);
        for (const [i, raw] of sample.choices!.continuations.entries()) {
          const { context, continuation } = splitContinuation(sample.choices!.context, raw);
          const res = await fetch(`${baseUrl}/v1/completions`, {
            method: 'POST',
            body: JSON.stringify({
              model: 'test/model',
              prompt: context + continuation,
              max_tokens: 1,
              temperature: 0,
              logprobs: 1,
              echo: true,
            }),
          });
          const body = (await res.json()) as {
            choices: Array<{ logprobs: Parameters<typeof sumByTextOffset>[0] }>;
            usage: { prompt_tokens: number };
          };
          if (
            Math.abs(sumByTextOffset(body.choices[0]!.logprobs, context.length, body.usage.prompt_tokens) - exact[i]!) >
            1e-9
          )
            wrong++;
        }
      }
      assert.ok(wrong > 0, `${mode}: text_offset found every boundary`);
    }
  });

  it('counts the context by one echo when the engine has no /tokenize', async () => {
    // The reference engine and other servers answer 404 on /tokenize; the driver then echoes the context alone.
    const baseUrl = await standin('llama2');
    const proxied = await tokenizeHiddenProxy(baseUrl);
    const predictions = await driveChoices(proxied.url);
    assert.ok(proxied.echoesOfContextAlone() >= SAMPLES.length);
    for (const p of predictions)
      assert.deepEqual(
        (p.details as { loglikelihoods: number[] }).loglikelihoods,
        tokenExactSums('llama2', SAMPLES[p.index]!),
      );
  });

  it("moves the context's trailing whitespace onto the continuation, as lm-evaluation-harness does", () => {
    assert.deepEqual(splitContinuation('Question: 2+2?\nAnswer: ', '4'), {
      context: 'Question: 2+2?\nAnswer:',
      continuation: ' 4',
    });
    assert.deepEqual(splitContinuation('The sky is', ' blue'), { context: 'The sky is', continuation: ' blue' });
  });

  it("sums from the context's token count to the prompt's end, leaving out the generated token", () => {
    // "<s> The sky is blue" echoed, then one generated token "." (max_tokens 1); the context "<s> The sky is" is 4 tokens.
    const lp = {
      tokens: ['<s>', 'The', 'sky', 'is', 'bl', 'ue', '.'],
      token_logprobs: [null, -2, -1, -0.5, -0.25, -0.125, -3],
      text_offset: [0, 3, 6, 9, 11, 13, 15],
    };
    assert.deepEqual(continuationLogprob(lp, 4, 6), { sum: -0.375, tokens: 2 });
    assert.deepEqual(
      continuationLogprob(lp, 4, undefined),
      { sum: -0.375, tokens: 2 },
      'without usage, the last token is taken as generated',
    );
  });

  it('refuses a continuation without tokens of its own, precisely', () => {
    const lp = { tokens: ['<s>', 'A', '.'], token_logprobs: [null, -1, -2], text_offset: [0, 3, 4] };
    assert.throws(
      () => continuationLogprob(lp, 2, 2),
      /the continuation has no token of its own: the context is 2 tokens and context\+continuation 2/,
    );
  });

  it('picks the first of equal maxima', () => {
    assert.equal(argmax([-3, -1, -1, -2]), 1);
  });
});

/** A proxy in front of the stand-in that answers /tokenize with 404 (an engine without it) and counts context-only echoes. */
async function tokenizeHiddenProxy(target: string): Promise<{ url: string; echoesOfContextAlone: () => number }> {
  const http = await import('node:http');
  const contexts = new Set(
    SAMPLES.map((s) => splitContinuation(s.choices!.context, s.choices!.continuations[0]!).context),
  );
  let echoes = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/tokenize') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"detail":"Not Found"}');
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (contexts.has((JSON.parse(text) as { prompt?: string }).prompt ?? '')) echoes++;
      void fetch(`${target}${req.url}`, {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'application/json' },
      }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(await r.text());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, echoesOfContextAlone: () => echoes };
}

describe('OpenAI answer parsing', () => {
  it('reads chat content, usage and finish reason', () => {
    const r = parseCompletion(
      {
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'length' }],
        usage: { prompt_tokens: 5, completion_tokens: 1 },
      },
      true,
    );
    assert.deepEqual(r, {
      texts: ['hi'],
      reasonings: [''],
      finishReason: 'length',
      promptTokens: 5,
      completionTokens: 1,
      logprobs: undefined,
    });
  });

  it('orders n completions by index and treats null content as empty', () => {
    const r = parseCompletion(
      {
        choices: [
          { index: 1, text: 'b' },
          { index: 0, text: 'a' },
        ],
      },
      false,
    );
    assert.deepEqual(r.texts, ['a', 'b']);
    assert.equal(r.promptTokens, null);
    assert.deepEqual(parseCompletion({ choices: [{ message: { content: null, tool_calls: [] } }] }, true).texts, ['']);
  });

  it('rejects an answer without choices, precisely', () => {
    assert.throws(() => parseCompletion({ object: 'error' }, true), /no "choices" array/);
    assert.throws(() => parseCompletion({ choices: [] }, true), /"choices" is empty/);
  });
});

describe('latency percentiles', () => {
  it('uses nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 95), 95);
    assert.equal(percentile([], 50), undefined);
  });
});
