/** Chat messages as vLLM's OpenAI server reads them: their text, their image parts, whitespace tokens, Qwen3's thinking. */

export interface Message {
  role?: unknown;
  content?: unknown;
}

const TOKEN = /\s*\S+|\s+$/g;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return '';
}

/** Image parts of chat messages, as vLLM reads them: each needs image_url.url, a base64 data URL or an http(s) URL. */
export function imageParts(messages: Message[]): { count: number; invalid?: string } {
  let count = 0;
  for (const m of messages) {
    if (!Array.isArray(m.content)) continue;
    for (const part of m.content as Array<{ type?: unknown; image_url?: { url?: unknown } }>) {
      if (part?.type !== 'image_url') continue;
      count++;
      const url = part.image_url?.url;
      if (typeof url !== 'string' || !/^(data:image\/[\w.+-]+;base64,[A-Za-z0-9+/]+={0,2}$|https?:\/\/)/.test(url))
        return { count, invalid: `Invalid image_url: ${JSON.stringify(url).slice(0, 60)}` };
    }
  }
  return { count };
}

/** What vLLM's Qwen3 reasoning parser puts in reasoning_content: the thinking without its <think> tags. */
export function withoutTags(reasoning: string): string {
  return reasoning.replace(/^<think>\n?|\n?<\/think>\n*$/g, '');
}
