import http from 'node:http';
import { completionFromEventStream } from '../generate/event-stream-body';
import { errorMessage } from '../../common/error-message';

/**
 * `transformers serve` answers /health before any model is loaded: serving.py's generate_chat_completion calls
 * `self.load_model_and_processor(model_id_and_revision)` on the request itself. One short chat request answered with a
 * completion proves the model is loaded, so the driver's per-request time-outs no longer pay for loading. 4.56–4.57
 * answer it as events (`return StreamingResponse(output, media_type="text/event-stream")`, even when not streamed);
 * 5.x with JSON: either is accepted.
 */
export function warmUpTransformersServe(
  baseUrl: string,
  servedModel: string,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  const body = JSON.stringify({
    model: servedModel,
    messages: [{ role: 'user', content: 'Hello' }],
    max_tokens: 1,
    temperature: 0,
  });
  const timeoutMs = Math.max(1000, deadline - Date.now());
  return new Promise<void>((resolve, reject) => {
    const req = http.request(
      `${baseUrl}/v1/chat/completions`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            return reject(
              new Error(
                `the first chat request (which loads the model) answered ${res.statusCode}: ${text.slice(0, 300)}`,
              ),
            );
          try {
            const answer = /^text\/event-stream/i.test(res.headers['content-type'] ?? '')
              ? completionFromEventStream(text)
              : (JSON.parse(text) as Record<string, unknown>);
            if (!Array.isArray(answer.choices)) throw new Error(`no choices in ${text.slice(0, 300)}`);
            resolve();
          } catch (e) {
            reject(new Error(`the first chat request (which loads the model) got no completion: ${errorMessage(e)}`));
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(
        new Error(`the model did not load within ${Math.round(timeoutMs / 1000)} s (first chat request unanswered)`),
      ),
    );
    req.on('error', reject);
    req.end(body);
  });
}
