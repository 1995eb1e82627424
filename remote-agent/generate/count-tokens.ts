import { HttpStatusError } from './http-client';
import { LOGPROBS_PER_TOKEN } from './loglikelihood';
import type { Call } from './sample-requests';

/** POSTs a JSON body and resolves with the parsed 2xx answer (the driver's client, with its retries). */
export type PostJson = (path: string, body: unknown) => Promise<unknown>;

/**
 * How many tokens the engine makes of a text prompt, BOS included, exactly as its /v1/completions counts a prompt:
 * vLLM's POST /tokenize (serving_tokenization.py; protocol.py TokenizeCompletionRequest: `add_special_tokens: bool =
 * Field(default=True, …)`; TokenizeResponse: `count: int`). Engines without /tokenize (404) get one echo of the text
 * alone instead, read from usage.prompt_tokens; after the first 404 /tokenize is not asked again.
 */
export function tokenCounter(post: PostJson, call: Call, servedModel: string): (text: string) => Promise<number> {
  let tokenizeMissing = false;
  return async (text) => {
    if (!tokenizeMissing) {
      try {
        const answer = (await post('/tokenize', { model: servedModel, prompt: text })) as { count?: unknown } | null;
        if (typeof answer?.count === 'number' && Number.isInteger(answer.count)) return answer.count;
        throw new Error(`malformed /tokenize answer: no integer "count" (${JSON.stringify(answer).slice(0, 200)})`);
      } catch (e) {
        if (!(e instanceof HttpStatusError) || (e.status !== 404 && e.status !== 405)) throw e;
        tokenizeMissing = true;
      }
    }
    const r = await call(
      '/v1/completions',
      { model: servedModel, prompt: text, max_tokens: 1, temperature: 0, logprobs: LOGPROBS_PER_TOKEN, echo: true },
      false,
    );
    if (r.promptTokens !== null) return r.promptTokens;
    throw new Error(
      'the engine has no /tokenize and its echo carries no usage.prompt_tokens: the context cannot be counted in tokens',
    );
  };
}
