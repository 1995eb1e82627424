import type { Dataset } from '../../common/catalog/dataset';
import type { AdaptedRecord } from './adapters/adapter';
import { fillTemplate } from './template';
import { CHARS_PER_TOKEN, truncateMessages, truncateMiddle } from './truncate';
import type { ChatMessage } from './types';

export interface BuiltPrompt {
  prompt: string | ChatMessage[];
  truncated: boolean;
}

/** The record's prompt text: the dataset's template when it has one, else the adapter's default. */
export function promptBody(dataset: Dataset, rec: AdaptedRecord): string {
  return dataset.promptTemplate === undefined ? rec.prompt : fillTemplate(dataset.promptTemplate, rec.fields);
}

/**
 * Completion models get one text: examples (prompt + answer) joined by the separator, then the target prompt.
 * Chat models get messages: system prompt, each example as a user/assistant pair, then the target.
 */
export function buildPrompt(
  dataset: Dataset,
  target: AdaptedRecord,
  examples: AdaptedRecord[],
  opts: { chat: boolean; contextLength?: number; maxTokens?: number; separator?: string },
): BuiltPrompt {
  const maxChars =
    opts.contextLength === undefined
      ? Infinity
      : Math.max(0, Math.floor((opts.contextLength - (opts.maxTokens ?? dataset.maxTokens ?? 512)) * CHARS_PER_TOKEN));
  const system = dataset.systemPrompt ?? target.systemPrompt;
  if (!opts.chat) {
    const sep = opts.separator ?? '\n\n';
    const parts = examples.map((e) => promptBody(dataset, e) + e.exampleAnswer);
    const text = [...(system ? [system] : []), ...parts, promptBody(dataset, target)].join(sep);
    const cut = truncateMiddle(text, maxChars);
    return { prompt: cut.text, truncated: cut.truncated };
  }
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: 'system', content: system });
  for (const e of examples) {
    messages.push({ role: 'user', content: promptBody(dataset, e) });
    messages.push({ role: 'assistant', content: e.exampleAnswer });
  }
  if (target.messages && dataset.promptTemplate === undefined) messages.push(...target.messages);
  else messages.push({ role: 'user', content: promptBody(dataset, target) });
  const cut = truncateMessages(messages, maxChars);
  return { prompt: cut.messages, truncated: cut.truncated };
}
