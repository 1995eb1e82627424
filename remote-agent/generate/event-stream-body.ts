import { SseParser } from './sse';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The completion a whole server-sent-event body adds up to, shaped as the same request answered without streaming.
 * `transformers serve` 4.56–4.57 answers every chat request this way (commands/serving.py: `return
 * StreamingResponse(output, media_type="text/event-stream")`, whatever `stream` says), with chunks
 * `data: {chunk.model_dump_json(exclude_none=True)}`, a last chunk carrying `finish_reason`, no `[DONE]`, and errors as
 * `data: {"error": "..."}`. Throws on an error event or a body without a single chunk.
 */
export function completionFromEventStream(body: string): Json {
  const texts: string[] = [];
  const finish: Array<string | null> = [];
  let chat = false;
  let chunks = 0;
  let usage: unknown;
  let head: Json = {};
  const parser = new SseParser((data) => {
    if (data.trim() === '[DONE]') return;
    const event = JSON.parse(data) as unknown;
    if (!isRecord(event)) return;
    if (event.error !== undefined) {
      const e = event.error;
      throw new Error(
        `the server reported an error in its event stream: ${typeof e === 'string' ? e : isRecord(e) && typeof e.message === 'string' ? e.message : JSON.stringify(e)}`,
      );
    }
    chunks++;
    if (chunks === 1) head = { id: event.id, created: event.created, model: event.model };
    if (isRecord(event.usage)) usage = event.usage;
    for (const c of Array.isArray(event.choices) ? event.choices.filter(isRecord) : []) {
      const index = Number(c.index ?? 0) || 0;
      const piece = isRecord(c.delta) ? c.delta.content : c.text;
      if (isRecord(c.delta)) chat = true;
      if (typeof piece === 'string') texts[index] = (texts[index] ?? '') + piece;
      else texts[index] ??= '';
      if (typeof c.finish_reason === 'string') finish[index] = c.finish_reason;
    }
  });
  parser.push(body);
  parser.end();
  if (chunks === 0)
    throw new Error(`the server answered an event stream without a single event: ${body.slice(0, 200)}`);
  const choices = texts.map((text, index) =>
    chat
      ? { index, message: { role: 'assistant', content: text }, finish_reason: finish[index] ?? null }
      : { index, text, finish_reason: finish[index] ?? null },
  );
  return { ...head, object: chat ? 'chat.completion' : 'text_completion', choices, ...(usage ? { usage } : {}) };
}
