import { DatasetError } from '../errors';
import type { ChatMessage } from '../types';
import { imageToDataUrl } from './data-url';

export interface AttachOptions {
  /** Folder of the data file: relative image paths resolve against it. */
  baseDir: string;
  chat: boolean;
  /** The model's `vision`; undefined for tools that only score (self-check), which accept either prompt form. */
  vision?: boolean;
  /** Names the dataset in messages. */
  datasetId: string;
}

type Part = Exclude<ChatMessage['content'], string>[number];

/**
 * The prompt with the record's images put before the text of its last user message, as OpenAI-style content parts
 * (`{type: "image_url", image_url: {url: "data:image/png;base64,…"}}`), which is what vLLM's chat API takes for
 * vision-language models. A model without `vision` gets a DatasetError (its task fails saying so, before any request).
 */
export function attachImages(
  prompt: string | ChatMessage[],
  images: unknown[],
  opts: AttachOptions,
): string | ChatMessage[] {
  if (opts.vision === false)
    throw new DatasetError(
      `${opts.datasetId}: the records carry images but the model is text-only; evaluate it with a vision-language model ("vision": true in models.jsonc)`,
    );
  if (!opts.chat) {
    if (opts.vision === true)
      throw new DatasetError(
        `${opts.datasetId}: images go to chat models only; set "chat": true for this vision model`,
      );
    return prompt;
  }
  const parts: Part[] = images.map((ref) => ({
    type: 'image_url',
    image_url: { url: imageToDataUrl(ref, opts.baseDir) },
  }));
  const messages: ChatMessage[] = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : [...prompt];
  let last = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') last = i;
  });
  if (last < 0) {
    messages.push({ role: 'user', content: parts });
    return messages;
  }
  const target = messages[last]!;
  const text: Part[] = typeof target.content === 'string' ? [{ type: 'text', text: target.content }] : target.content;
  messages[last] = { ...target, content: [...parts, ...text] };
  return messages;
}
