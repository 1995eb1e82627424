import { splitReasoning } from './reasoning';

/** What the driver takes from an OpenAI-compatible answer: texts in choice order, finish reasons, usage. */
export interface ParsedCompletion {
  /** The answers, thinking removed (reasoning.ts). */
  texts: string[];
  /** Per choice, the thinking kept apart from the answer ('' when none). */
  reasonings: string[];
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** The first choice's `logprobs` object, as sent (completions only). */
  logprobs: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** Text of a chat message's content: a string, or the text parts of a content array; null (tool calls only) is ''. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}

/** Parses /v1/chat/completions (`chat`) or /v1/completions JSON; throws with a precise message on a malformed answer. */
export function parseCompletion(body: unknown, chat: boolean): ParsedCompletion {
  if (!isRecord(body) || !Array.isArray(body.choices)) throw new Error('malformed answer: no "choices" array');
  const choices = body.choices.filter(isRecord);
  if (!choices.length) throw new Error('malformed answer: "choices" is empty');
  const ordered =
    choices.length > 1 ? [...choices].sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0)) : choices;
  const split = ordered.map((c) => {
    if (!chat) return splitReasoning(typeof c.text === 'string' ? c.text : '');
    const message = isRecord(c.message) ? c.message : {};
    // vLLM with --reasoning-parser: `reasoning_content` (0.10; `reasoning` later) beside the answer in `content`.
    const apart =
      typeof message.reasoning_content === 'string'
        ? message.reasoning_content
        : typeof message.reasoning === 'string'
          ? message.reasoning
          : undefined;
    return splitReasoning(contentText(message.content), apart);
  });
  const first = ordered[0]!;
  const usage = isRecord(body.usage) ? body.usage : {};
  return {
    texts: split.map((x) => x.answer),
    reasonings: split.map((x) => x.reasoning),
    finishReason: typeof first.finish_reason === 'string' ? first.finish_reason : null,
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
    logprobs: first.logprobs,
  };
}
