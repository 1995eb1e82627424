/**
 * A capacity-modelled engine for the replica benchmark: each replica answers /v1/chat/completions the way a batched
 * engine spends its time — at most `maxNumSeqs` sequences run at once (more wait in a queue, as in vLLM's scheduler),
 * and a sequence holds its slot for `tokens` × `tokenMs`. So one replica's capacity is maxNumSeqs / (tokens × tokenMs)
 * requests per ms, and N replicas have N times that. Run as its own process:
 *   node --import tsx bench/support/capacity-engine.ts REPLICAS MAX_NUM_SEQS TOKENS TOKEN_MS
 * It prints the replicas' ports as one JSON line, then serves until killed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const [replicas, maxNumSeqs, tokens, tokenMs] = process.argv.slice(2).map(Number) as [number, number, number, number];

function replica(): http.Server {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    running--;
    const next = queue.shift();
    if (next) next();
  };
  const run = (done: () => void): void => {
    running++;
    setTimeout(() => {
      done();
      release();
    }, tokens * tokenMs);
  };
  return http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return void res.end();
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const answer = (): void => {
        const reply = JSON.stringify({
          object: 'chat.completion',
          choices: [
            { index: 0, message: { role: 'assistant', content: 'x '.repeat(tokens) }, finish_reason: 'length' },
          ],
          usage: { prompt_tokens: 8, completion_tokens: tokens, total_tokens: 8 + tokens },
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
        res.end(reply);
      };
      if (running < maxNumSeqs) run(answer);
      else queue.push(() => run(answer));
    });
  });
}

const servers = Array.from({ length: replicas }, replica);
void Promise.all(
  servers.map(
    (s) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port))),
  ),
).then((ports) => {
  process.stdout.write(`${JSON.stringify(ports)}\n`);
});
