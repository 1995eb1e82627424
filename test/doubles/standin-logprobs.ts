import type { StandinTokenizer } from './standin-tokenizer';

/** FNV-1a: stable pseudo-randomness from text. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The stand-in's log-probability of a token: high for a `likely` word, else a fixed value from the token's text. */
export function tokenLogprob(tok: StandinTokenizer, likely: ReadonlySet<string>, id: number): number {
  const text = tok.decodeOne(id);
  return likely.has(text.trim()) ? -0.05 : -(1 + (hash(`${tok.mode}:${text}`) % 300) / 100);
}

export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: Array<number | null>;
  text_offset: number[];
  top_logprobs: Array<Record<string, number> | null>;
}

/**
 * OpenAI legacy logprobs as vllm/entrypoints/openai/serving_completion.py `_create_completion_logprobs` builds them:
 * a prompt position without logprobs (the first, with echo) gets `token = tokenizer.decode(token_id)` and None;
 * `out_text_offset.append(out_text_offset[-1] + last_token_len)` with `last_token_len = len(token)`, from 0.
 */
export function completionLogprobs(
  tok: StandinTokenizer,
  likely: ReadonlySet<string>,
  promptIds: readonly number[],
  generatedIds: readonly number[],
): CompletionLogprobs {
  const out: CompletionLogprobs = { tokens: [], token_logprobs: [], text_offset: [], top_logprobs: [] };
  let offset = 0;
  [...promptIds, ...generatedIds].forEach((id, i) => {
    const token = tok.decodeOne(id);
    const lp = i === 0 && promptIds.length > 0 ? null : tokenLogprob(tok, likely, id);
    out.tokens.push(token);
    out.token_logprobs.push(lp);
    out.top_logprobs.push(lp === null ? null : { [token]: lp });
    out.text_offset.push(offset);
    offset += token.length;
  });
  return out;
}
