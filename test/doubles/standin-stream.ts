import type http from 'node:http';

/** One streamed answer, as vLLM sends it for `stream: true`. */
export interface StreamedAnswer {
  chat: boolean;
  id: string;
  created: number;
  model: string;
  /** The output split into tokens (each sent as one chunk). */
  tokens: string[];
  /** Chat with a reasoning parser: the thinking, streamed first as `delta.reasoning_content`. */
  reasoningTokens?: string[];
  finish: string;
  choices: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** `stream_options.include_usage`: a last chunk with usage and no choices. */
  includeUsage: boolean;
  /** Before the first token (prefill), and before each token (decode). */
  latencyMs: number;
  tokenLatencyMs: number;
}

function wait(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/**
 * Writes server-sent events like vLLM's OpenAI server: for chat a first chunk with the assistant role, then one chunk
 * per token (`delta.content`, or `text` for completions) every `tokenLatencyMs` after `latencyMs`, a chunk with the
 * finish reason, the usage chunk when asked for, and `data: [DONE]`. Stops quietly when the client goes away.
 */
export async function streamAnswer(res: http.ServerResponse, a: StreamedAnswer): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const object = a.chat ? 'chat.completion.chunk' : 'text_completion';
  const event = (choices: unknown[], extra: Record<string, unknown> = {}): boolean => {
    if (res.destroyed) return false;
    res.write(
      `data: ${JSON.stringify({ id: a.id, object, created: a.created, model: a.model, choices, ...extra })}\n\n`,
    );
    return true;
  };
  const choice = (
    index: number,
    piece: string,
    finish: string | null,
    first = false,
    reasoning = false,
  ): Record<string, unknown> =>
    a.chat
      ? {
          index,
          delta: first
            ? { role: 'assistant', content: piece }
            : reasoning
              ? { reasoning_content: piece }
              : { content: piece },
          logprobs: null,
          finish_reason: finish,
          ...(finish ? { stop_reason: null } : {}),
        }
      : { index, text: piece, logprobs: null, finish_reason: finish, stop_reason: null };
  const indices = Array.from({ length: a.choices }, (_, i) => i);
  if (a.chat && !event(indices.map((i) => choice(i, '', null, true)))) return;
  await wait(a.latencyMs);
  for (const token of a.reasoningTokens ?? []) {
    await wait(a.tokenLatencyMs);
    if (!event(indices.map((i) => choice(i, token, null, false, true)))) return;
  }
  for (const token of a.tokens) {
    await wait(a.tokenLatencyMs);
    if (!event(indices.map((i) => choice(i, token, null)))) return;
  }
  if (!event(indices.map((i) => choice(i, '', a.finish)))) return;
  if (a.includeUsage && !event([], { usage: a.usage })) return;
  res.end('data: [DONE]\n\n');
}
