/** The `logprobs` object of a /v1/completions choice (OpenAI legacy format, as vLLM returns it). */
export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: Array<number | null>;
  text_offset: number[];
}

/**
 * Top log-probabilities asked per position. Only the chosen token's log-probability is read; vLLM refuses more than
 * `--max-logprobs` (vllm/config ModelConfig: `max_logprobs: int = 20`; v1/engine/processor.py: "Requested sample
 * logprobs of {num_logprobs}, which is greater than max allowed: {max_logprobs}"), so this stays at 1.
 */
export const LOGPROBS_PER_TOKEN = 1;

/**
 * As lm-evaluation-harness does: the context's trailing whitespace moves onto the continuation, so the tokenizer sees
 * `" Paris"` as one token and the continuation's first token does not straddle the boundary.
 */
export function splitContinuation(context: string, continuation: string): { context: string; continuation: string } {
  const trailing = /\s+$/.exec(context)?.[0] ?? '';
  if (!trailing) return { context, continuation };
  return { context: context.slice(0, -trailing.length), continuation: trailing + continuation };
}

/**
 * Sum of the log-probabilities of the continuation's tokens in an echoed context+continuation, found by token COUNT
 * as lm-evaluation-harness does (`_encode_pair`: `continuation_enc = whole_enc[len(context_enc):]`): positions
 * `contextTokens` up to `promptTokens` (the tokens after the prompt are generated and left out; without usage, the
 * last `generated` ones). Never by `text_offset`: vLLM decodes echoed tokens one at a time, so SentencePiece
 * tokenizers lose leading spaces and Llama-3's BOS adds 17 characters, and offsets no longer match the text.
 */
export function continuationLogprob(
  lp: CompletionLogprobs,
  contextTokens: number,
  promptTokens: number | undefined,
  generated = 1,
): { sum: number; tokens: number } {
  const end = Math.min(lp.token_logprobs.length, promptTokens ?? Math.max(0, lp.token_logprobs.length - generated));
  if (!Number.isInteger(contextTokens) || contextTokens < 1 || contextTokens >= end) {
    throw new Error(
      `the continuation has no token of its own: the context is ${contextTokens} tokens and context+continuation ${end}`,
    );
  }
  let sum = 0;
  for (let i = contextTokens; i < end; i++) {
    const lpi = lp.token_logprobs[i];
    if (typeof lpi !== 'number')
      throw new Error(
        `the engine gave no log-probability for continuation token ${i} (${JSON.stringify(lp.tokens[i])})`,
      );
    sum += lpi;
  }
  return { sum, tokens: end - contextTokens };
}

/** Index of the largest value (the first, on ties). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
