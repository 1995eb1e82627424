import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { standinConfig, type StandinConfig } from '../../doubles/standin-config';
import { VllmStandin } from '../../doubles/vllm-standin';

/**
 * The stand-in against vLLM's own code (v0.10/0.11): each answer below is what the quoted source line produces, so the
 * tests that drive the stand-in check evalbench against vLLM's behaviour, not against our assumptions.
 */
const servers: VllmStandin[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function standin(overrides: Partial<StandinConfig> = {}): Promise<string> {
  const server = new VllmStandin(standinConfig(overrides), () => void server.close());
  servers.push(server);
  return `http://127.0.0.1:${await server.listen()}`;
}

async function post(url: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe("the vLLM stand-in behaves as vLLM's code does", () => {
  it("refuses greedy sampling with n > 1, with vLLM's message", async () => {
    // vllm/sampling_params.py _verify_greedy_sampling: f"n must be 1 when using greedy sampling, got {self.n}."
    const base = await standin();
    const r = await post(`${base}/v1/completions`, {
      model: 'test/model',
      prompt: 'x',
      temperature: 0,
      n: 3,
      max_tokens: 4,
    });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'n must be 1 when using greedy sampling, got 3.');
    assert.equal(
      (
        await post(`${base}/v1/completions`, {
          model: 'test/model',
          prompt: 'x',
          temperature: 0.7,
          n: 3,
          max_tokens: 4,
        })
      ).status,
      200,
    );
    // protocol.py: an absent temperature is the model's default or 1.0 (_DEFAULT_SAMPLING_PARAMS) — not greedy.
    assert.equal(
      (
        await post(`${base}/v1/chat/completions`, {
          model: 'test/model',
          messages: [{ role: 'user', content: 'x' }],
          n: 2,
        })
      ).status,
      200,
    );
  });

  it('refuses more logprobs than --max-logprobs (default 20), sample and echoed prompt alike', async () => {
    // vllm/v1/engine/processor.py _validate_logprobs: f"Requested sample logprobs of {num_logprobs}, which is greater
    // than max allowed: {max_logprobs}"; config: `max_logprobs: int = 20`.
    const base = await standin();
    const r = await post(`${base}/v1/completions`, { model: 'test/model', prompt: 'x', logprobs: 21, max_tokens: 1 });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Requested sample logprobs of 21, which is greater than max allowed: 20');
    const chat = await post(`${base}/v1/chat/completions`, {
      model: 'test/model',
      messages: [{ role: 'user', content: 'x' }],
      logprobs: true,
      top_logprobs: 25,
    });
    assert.equal(chat.json.message, 'Requested sample logprobs of 25, which is greater than max allowed: 20');
    assert.equal(
      (
        await post(`${base}/v1/completions`, {
          model: 'test/model',
          prompt: 'x',
          logprobs: 20,
          echo: true,
          max_tokens: 1,
        })
      ).status,
      200,
    );
    const raised = await standin({ maxLogprobs: 50 });
    assert.equal(
      (await post(`${raised}/v1/completions`, { model: 'test/model', prompt: 'x', logprobs: 21, max_tokens: 1 }))
        .status,
      200,
      '--max-logprobs 50 allows it',
    );
  });

  it('answers /tokenize with count, max_model_len and tokens, BOS included by default', async () => {
    // protocol.py TokenizeCompletionRequest: `add_special_tokens: bool = Field(default=True, …)`;
    // TokenizeResponse: `count: int`, `max_model_len: int`, `tokens: list[int]`, `token_strs: Optional[list[str]]`.
    const base = await standin({ tokenMode: 'llama3' });
    const r = await post(`${base}/tokenize`, { model: 'test/model', prompt: 'Hello world', return_token_strs: true });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.token_strs, ['<|begin_of_text|>', 'Hello', ' world']);
    assert.equal(r.json.count, 3);
    assert.equal(typeof r.json.max_model_len, 'number');
    const bare = await post(`${base}/tokenize`, { prompt: 'Hello world', add_special_tokens: false });
    assert.equal(bare.json.count, 2);
  });

  it('echoes prompt tokens decoded one at a time, with text_offset summing their lengths (SentencePiece loses spaces)', async () => {
    // detokenizer_utils.py convert_ids_list_to_tokens: `token_str = tokenizer.decode([token_id])`;
    // serving_completion.py: `out_text_offset.append(out_text_offset[-1] + last_token_len)`.
    const base = await standin({ tokenMode: 'llama2' });
    const r = await post(`${base}/v1/completions`, {
      model: 'test/model',
      prompt: 'The sky is blue',
      echo: true,
      logprobs: 1,
      max_tokens: 1,
      temperature: 0,
    });
    const lp = (
      r.json.choices as Array<{
        logprobs: { tokens: string[]; text_offset: number[]; token_logprobs: Array<number | null> };
      }>
    )[0]!.logprobs;
    assert.deepEqual(lp.tokens.slice(0, 5), ['<s>', 'The', 'sky', 'is', 'blue']);
    assert.deepEqual(lp.text_offset.slice(0, 5), [0, 3, 6, 9, 11]);
    assert.equal(lp.token_logprobs[0], null, 'the first prompt position has no logprob');
    assert.equal((r.json.usage as { prompt_tokens: number }).prompt_tokens, 5);
  });

  it('reports its version, streams usage in a last chunk without choices, and names its metrics as vLLM does', async () => {
    // api_server.py show_version: `ver = {"version": VLLM_VERSION}`.
    const base = await standin();
    assert.match(((await (await fetch(`${base}/version`)).json()) as { version: string }).version, /^\d+\.\d+/);
    // serving_completion.py: `final_usage_chunk = CompletionStreamResponse(…, choices=[], usage=final_usage_info)`.
    const r = await fetch(`${base}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'test/model',
        prompt: 'a b c',
        max_tokens: 2,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const events = (await r.text())
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice(6));
    assert.equal(events.at(-1), '[DONE]');
    const usage = JSON.parse(events.at(-2)!) as { choices: unknown[]; usage: { completion_tokens: number } };
    assert.deepEqual(usage.choices, []);
    assert.equal(typeof usage.usage.completion_tokens, 'number');
    // vllm/v1/metrics/loggers.py: "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
    // "vllm:prompt_tokens_total", "vllm:generation_tokens_total".
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
    ])
      assert.match(metrics, new RegExp(`^${name}\\{`, 'm'), name);
  });
});
