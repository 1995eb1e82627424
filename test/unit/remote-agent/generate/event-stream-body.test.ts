import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionFromEventStream } from '../../../../remote-agent/generate/event-stream-body';
import { parseCompletion } from '../../../../remote-agent/generate/openai-response';

// As transformers 4.57.6 commands/serving.py writes a chat answer whatever `stream` says:
//   return StreamingResponse(output, media_type="text/event-stream")
//   return f"data: {chunk.model_dump_json(exclude_none=True)}\n\n"      (build_chat_completion_chunk, index=0)
//   yield self.build_chat_completion_chunk(_request_id, finish_reason="stop", model=model_id_and_revision)
// no [DONE]; an exception becomes: yield f'data: {{"error": "{str(e)}"}}'
const chunk = (delta: object, finish?: string): string =>
  `data: ${JSON.stringify({ id: 'req-1', choices: [{ delta, index: 0, ...(finish ? { finish_reason: finish } : {}) }], created: 1, model: 'org/m@main', object: 'chat.completion.chunk', system_fingerprint: '' })}\n\n`;

describe('an event-stream body read as one completion', () => {
  it('adds the chunks of a transformers serve chat answer up to the message, with its finish reason', () => {
    const body =
      chunk({ role: 'assistant' }) +
      chunk({ content: 'The answer' }) +
      chunk({ content: ' is 72.' }) +
      chunk({}, 'stop');
    const parsed = parseCompletion(completionFromEventStream(body), true);
    assert.deepEqual(parsed.texts, ['The answer is 72.']);
    assert.equal(parsed.finishReason, 'stop');
  });

  it("reports the server's error event instead of an empty answer", () => {
    assert.throws(
      () => completionFromEventStream(chunk({ role: 'assistant' }) + 'data: {"error": "CUDA out of memory"}'),
      /error in its event stream: CUDA out of memory/,
    );
    assert.throws(() => completionFromEventStream(''), /without a single event/);
  });
});
