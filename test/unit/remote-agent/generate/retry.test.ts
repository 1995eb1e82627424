import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { backoffDelay, parseRetryAfter, retry, type RetryPolicy } from '../../../../common/retry';
import { HttpStatusError, JsonClient } from '../../../../remote-agent/generate/http-client';
import { withRetries } from '../../../../remote-agent/generate/retry';

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates, never negative, and ignores what is neither', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now), 0, 'a date in the past: now');
    for (const bad of ['-5', '1.5', 'soon', '', undefined, null])
      assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
  });
});

describe('the shared retry policy', () => {
  const failing = (errors: unknown[]) => {
    let k = 0;
    return () => (k < errors.length ? Promise.reject(errors[k++]) : Promise.resolve('ok'));
  };
  const recorder = () => {
    const waits: number[] = [];
    return { waits, wait: (ms: number) => (waits.push(ms), Promise.resolve()) };
  };
  const base = (extra: Partial<RetryPolicy>): RetryPolicy => ({
    retries: 3,
    retryable: () => true,
    random: () => 1,
    ...extra,
  });

  it('waits what the server asked for when it said, the backoff otherwise', async () => {
    const r = recorder();
    const asked = Object.assign(new Error('429'), { after: 7_000 });
    const plain = new Error('reset');
    const out = await retry(
      failing([asked, plain]),
      base({ ...r, backoff: { initialMs: 100, jitter: 0 }, retryAfterMs: (e) => (e as { after?: number }).after }),
    );
    assert.equal(out, 'ok');
    assert.deepEqual(r.waits, [7_000, 200]);
  });

  it('caps a huge Retry-After, stops after its retries, and never retries what is not retryable', async () => {
    const r = recorder();
    const day = Object.assign(new Error('503'), { after: 86_400_000 });
    await assert.rejects(
      retry(
        failing([day, day, day]),
        base({ ...r, retries: 1, maxRetryAfterMs: 60_000, retryAfterMs: (e) => (e as { after?: number }).after }),
      ),
      /503/,
    );
    assert.deepEqual(r.waits, [60_000]);
    const r2 = recorder();
    await assert.rejects(retry(failing([new Error('400')]), base({ ...r2, retryable: () => false })), /400/);
    assert.deepEqual(r2.waits, []);
  });

  it('grows the backoff exponentially up to its cap', () => {
    assert.deepEqual(
      [0, 1, 2, 10].map((k) => backoffDelay(k, { initialMs: 500, maxMs: 4_000, jitter: 0 })),
      [500, 1_000, 2_000, 4_000],
    );
  });
});

describe('engine requests honour Retry-After', () => {
  it(
    "a 429 with Retry-After: 0 is retried at once though the driver's own backoff is ten minutes",
    { timeout: 30_000 },
    async () => {
      let calls = 0;
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          calls++;
          if (calls <= 2) {
            res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
            res.end(JSON.stringify({ error: { message: 'rate limited' } }));
          } else {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ ok: true }));
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const client = new JsonClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, 2);
      try {
        const first = await client.post('/completions', {}, 5_000).catch((e: unknown) => e);
        assert.ok(first instanceof HttpStatusError);
        assert.equal(first.status, 429);
        assert.equal(first.retryAfterMs, 0);
        const out = await withRetries(() => client.post('/completions', {}, 5_000), { retries: 2, backoffMs: 600_000 });
        assert.deepEqual(out, { ok: true });
        assert.equal(calls, 3, 'one 429 seen directly, one retried inside withRetries after Retry-After');
      } finally {
        client.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    },
  );
});
