import http from 'node:http';

/**
 * `transformers serve` answers /health before any model is loaded: serving.py's generate_chat_completion calls
 * `self.load_model_and_processor(model_id_and_revision)` on the request itself. One short chat request, answered
 * (serving.py: `return StreamingResponse(output, media_type="text/event-stream")`, even when not streamed) with at
 * least one `data:` chunk, proves the model is loaded; the driver's per-request time-outs then no longer pay for loading.
 */
export function warmUpTransformersServe(baseUrl: string, servedModel: string, deadline: number, signal?: AbortSignal): Promise<void> {
  const body = JSON.stringify({ model: servedModel, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 1, temperature: 0 });
  const timeoutMs = Math.max(1000, deadline - Date.now());
  return new Promise<void>((resolve, reject) => {
    const req = http.request(`${baseUrl}/v1/chat/completions`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`the first chat request (which loads the model) answered ${res.statusCode}: ${text.slice(0, 300)}`));
        if (!/^data: *\{/m.test(text)) return reject(new Error(`the first chat request (which loads the model) answered no event: ${text.slice(0, 300)}`));
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error(`the model did not load within ${Math.round(timeoutMs / 1000)} s (first chat request unanswered)`)));
    req.on('error', reject);
    req.end(body);
  });
}
