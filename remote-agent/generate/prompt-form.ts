import type { ChatMessage, Sample } from '../datasets/types';

/** A text prompt sent to a chat endpoint is one user message. */
export function asMessages(prompt: Sample['prompt']): ChatMessage[] {
  return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

/** A base model given chat messages (a catalog mix-up) still gets their text, one message per paragraph. */
export function asText(prompt: Sample['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  return prompt
    .map((m) =>
      typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '')).join(''),
    )
    .join('\n\n');
}
