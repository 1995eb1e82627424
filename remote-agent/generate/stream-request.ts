import { splitReasoning } from './reasoning';
import type { JsonClient } from './http-client';
import type { ParsedCompletion } from './openai-response';
import { SseParser } from './sse';

/** What one streamed request measured. Times in milliseconds from sending the request. */
export interface StreamTiming {
  /** To the first generated token (content or reasoning); absent when nothing was generated. */
  ttftMs?: number;
  /** (last token − first token) / (tokens − 1); absent with fewer than two tokens. */
  itlMs?: number;
  requestMs: number;
}

export interface StreamedCompletion {
  parsed: ParsedCompletion;
  timing: StreamTiming;
}

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * One request with `stream: true` and `stream_options.include_usage` (vLLM, and OpenAI, then send token counts in a
 * last chunk without choices). Assembles the same ParsedCompletion a non-streamed request gives, and times the
 * first token and the tokens after it. The stream must end with `[DONE]` or a finish reason: a cut stream is an error.
 */
export async function streamCompletion(
  client: JsonClient,
  path: string,
  body: Json,
  timeoutMs: number,
  chat: boolean,
): Promise<StreamedCompletion> {
  const started = performance.now();
  const texts: string[] = [];
  const reasonings: string[] = [];
  const finish: Array<string | undefined> = [];
  let usage: Json | undefined;
  let first: number | undefined;
  let last = 0;
  let pieces = 0;
  let done = false;
  const parser = new SseParser((data) => {
    if (data.trim() === '[DONE]') {
      done = true;
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      throw new Error(`malformed stream event: ${data.slice(0, 200)}`);
    }
    if (!isRecord(event)) return;
    if (event.error !== undefined) {
      const e = event.error;
      throw new Error(
        `the server reported an error mid-stream: ${isRecord(e) && typeof e.message === 'string' ? e.message : JSON.stringify(e).slice(0, 300)}`,
      );
    }
    if (isRecord(event.usage)) usage = event.usage;
    for (const c of Array.isArray(event.choices) ? event.choices.filter(isRecord) : []) {
      const index = Number(c.index ?? 0) || 0;
      const delta = isRecord(c.delta) ? c.delta : {};
      const piece = chat ? text(delta.content) : text(c.text);
      const reasoning = chat ? text(delta.reasoning_content) || text(delta.reasoning) : '';
      if (piece) texts[index] = (texts[index] ?? '') + piece;
      if (reasoning) reasonings[index] = (reasonings[index] ?? '') + reasoning;
      if (piece || reasoning) {
        const now = performance.now();
        first ??= now;
        last = now;
        if (index === 0) pieces++;
      }
      if (typeof c.finish_reason === 'string') finish[index] = c.finish_reason;
    }
  });
  await client.postStream(path, { ...body, stream: true, stream_options: { include_usage: true } }, timeoutMs, (t) =>
    parser.push(t),
  );
  parser.end();
  if (!done && finish.every((f) => f === undefined))
    throw new Error('the stream ended before its last event (no [DONE], no finish reason)');
  const ended = performance.now();
  const completionTokens = count(usage?.completion_tokens);
  const choices = Math.max(1, texts.length, finish.length);
  // With one choice the usage count is exact; with several (n > 1) it sums them all, so count choice 0's pieces.
  const tokens = choices === 1 && completionTokens !== null ? completionTokens : pieces;
  const timing: StreamTiming = { requestMs: ended - started };
  const split = Array.from({ length: choices }, (_, i) => splitReasoning(texts[i] ?? '', reasonings[i]));
  if (first !== undefined) {
    timing.ttftMs = first - started;
    if (tokens > 1) timing.itlMs = (last - first) / (tokens - 1);
  }
  return {
    parsed: {
      texts: split.map((x) => x.answer),
      reasonings: split.map((x) => x.reasoning),
      finishReason: finish[0] ?? null,
      promptTokens: count(usage?.prompt_tokens),
      completionTokens,
      logprobs: undefined,
    },
    timing,
  };
}
