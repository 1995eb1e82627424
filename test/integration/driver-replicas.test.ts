/**
 * Data-parallel replicas as the driver sees them: several engine servers (vLLM stand-ins, one per replica), each
 * request sent to the one with the fewest requests outstanding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../remote-agent/datasets/types';
import { driveCollecting, standinsClosedAfter } from './helpers/in-process-standin';

const standin = standinsClosedAfter();

function samples(n: number): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i),
    index: i,
    prompt: [{ role: 'user', content: `question ${i}` }],
    reference: '',
    referenceOutput: '',
    meta: { kind: 'jsonl' },
  }));
}

describe('driver over replicas', () => {
  it('spreads requests evenly: each replica gets its share and never more than its share of the concurrency', async () => {
    const replicas = await Promise.all([1, 2, 3, 4].map(() => standin({ latencyMs: 20 })));
    const { predictions, result } = await driveCollecting({
      baseUrl: replicas[0]!.baseUrl,
      replicaBaseUrls: replicas.map((r) => r.baseUrl),
      servedModel: 'test/model',
      chat: true,
      samples: samples(80),
      settings: { temperature: 0, topP: 1, maxTokens: 4 },
      concurrency: 8,
    });
    assert.equal(result.errors, 0);
    assert.equal(predictions.length, 80);
    for (const r of replicas) {
      assert.ok(
        r.server.stats.requests >= 15 && r.server.stats.requests <= 25,
        `replica got ${r.server.stats.requests} of 80`,
      );
      assert.ok(r.server.stats.maxInFlight <= 3, `replica ran ${r.server.stats.maxInFlight} at once (8 over 4 is 2)`);
    }
  });

  it('retries a request that a replica failed on another replica (not the fast-failing one again)', async () => {
    const broken = await standin({ failEvery: 1 }); // answers every generation request with a 500
    const healthy = await standin();
    const { predictions, result } = await driveCollecting({
      baseUrl: broken.baseUrl,
      replicaBaseUrls: [broken.baseUrl, healthy.baseUrl],
      servedModel: 'test/model',
      chat: true,
      samples: samples(12),
      settings: { temperature: 0, topP: 1, maxTokens: 4 },
      concurrency: 2,
      retries: 1, // one retry is enough: it goes to the replica the request has not tried
      backoffMs: 1,
    });
    assert.equal(result.errors, 0, JSON.stringify(predictions.map((p) => p.error).filter(Boolean)));
    assert.ok(broken.server.stats.failed500 > 0, 'the broken replica was tried');
    assert.equal(healthy.server.stats.completed, 12);
  });
});
