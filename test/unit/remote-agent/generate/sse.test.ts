import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from '../../../../remote-agent/generate/sse';
import { latencyStats } from '../../../../remote-agent/generate/throughput';

function events(pieces: string[]): string[] {
  const out: string[] = [];
  const p = new SseParser((d) => out.push(d));
  for (const piece of pieces) p.push(piece);
  p.end();
  return out;
}

describe('server-sent events', () => {
  const body = 'data: {"a":1}\n\ndata: {"b":2}\n\n: keep-alive\n\ndata: [DONE]\n\n';

  it('splits events on blank lines, skips comments, ends with [DONE]', () => {
    assert.deepEqual(events([body]), ['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('gives the same events however the body is cut into pieces, CRLF included', () => {
    const cut = [...body].map((c) => c); // one character at a time
    assert.deepEqual(events(cut), ['{"a":1}', '{"b":2}', '[DONE]']);
    assert.deepEqual(events(['data: {"a"', ':1}\r\n\r', '\ndata:[DONE]']), ['{"a":1}', '[DONE]']);
  });

  it('joins multi-line data and ignores other fields', () => {
    assert.deepEqual(events(['event: message\nid: 3\ndata: line one\ndata: line two\n\n']), ['line one\nline two']);
  });
});

describe('latency statistics', () => {
  it('mean, nearest-rank p50 and p95, and the count', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.deepEqual(latencyStats(values), { meanMs: 10.5, p50Ms: 10, p95Ms: 19, n: 20 });
    assert.equal(latencyStats([]), undefined);
  });
});
