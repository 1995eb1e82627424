import type { ChatMessage } from './types';

/** No tokenizer on the agent: a conservative characters-per-token estimate (code and numbers run below 4). */
export const CHARS_PER_TOKEN = 3.5;
export const TRUNCATION_MARK = '\n…\n';

/** Keeps the head (a third: instructions) and the tail (two thirds: the question itself) of an over-long text. */
export function truncateMiddle(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const room = Math.max(0, maxChars - TRUNCATION_MARK.length);
  const head = Math.floor(room / 3);
  return { text: text.slice(0, head) + TRUNCATION_MARK + text.slice(text.length - (room - head)), truncated: true };
}

function contentLength(m: ChatMessage): number {
  return typeof m.content === 'string'
    ? m.content.length
    : m.content.reduce((n, p) => n + (p.type === 'text' ? p.text.length : 0), 0);
}

/**
 * Fits messages into maxChars keeping head and tail: whole messages are dropped from the middle first (few-shot turns,
 * oldest first after the system prompt), then the last message itself is cut in its middle.
 */
export function truncateMessages(
  messages: ChatMessage[],
  maxChars: number,
): { messages: ChatMessage[]; truncated: boolean } {
  const total = (ms: ChatMessage[]): number => ms.reduce((n, m) => n + contentLength(m), 0);
  if (total(messages) <= maxChars) return { messages, truncated: false };
  const out = [...messages];
  const first = out[0]?.role === 'system' ? 1 : 0;
  // Drop user/assistant pairs after the system prompt while more than the final message remains.
  while (total(out) > maxChars && out.length - first > 1) out.splice(first, Math.min(2, out.length - first - 1));
  if (total(out) > maxChars) {
    const last = out[out.length - 1]!;
    const others = total(out) - contentLength(last);
    if (typeof last.content === 'string')
      out[out.length - 1] = { ...last, content: truncateMiddle(last.content, Math.max(0, maxChars - others)).text };
  }
  return { messages: out, truncated: true };
}
