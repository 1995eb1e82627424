import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../remote-agent/datasets/types';
import type { DriveOptions } from '../../remote-agent/generate/types';
import { driveCollecting, standinsClosedAfter } from './helpers/in-process-standin';

const standin = standinsClosedAfter();

const TEN_WORDS = 'one two three four five six seven eight nine ten';

function chat(i: number, followUps?: string[]): Sample {
  return {
    id: `s${i}`,
    index: i,
    prompt: [{ role: 'user', content: `count please ${i}` }],
    ...(followUps ? { followUps } : {}),
    reference: '',
    referenceOutput: '',
    meta: { kind: 'jsonl' },
  };
}

function run(o: Partial<DriveOptions> & Pick<DriveOptions, 'baseUrl' | 'samples'>) {
  return driveCollecting({
    servedModel: 'test/model',
    chat: true,
    settings: { temperature: 0, topP: 1, maxTokens: 64 },
    concurrency: 2,
    retries: 1,
    backoffMs: 1,
    ...o,
  });
}

describe('streamed requests (the efficiency measurements)', () => {
  it('assemble the same answer and usage as a plain request, and time first token and inter-token latency', async () => {
    const { server, baseUrl } = await standin({
      latencyMs: 40,
      tokenLatencyMs: 5,
      responses: [{ match: 'count please', output: TEN_WORDS }],
    });
    const samples = [0, 1, 2, 3].map((i) => chat(i));
    const streamed = await run({ baseUrl, samples, stream: true });
    const plain = await run({ baseUrl, samples });
    assert.equal(streamed.result.errors, 0);
    assert.deepEqual(
      streamed.predictions.map((p) => [p.output, p.completionTokens, p.finishReason]),
      plain.predictions.map((p) => [p.output, p.completionTokens, p.finishReason]),
    );
    assert.equal(streamed.predictions[0]!.output, TEN_WORDS);
    assert.equal(streamed.result.throughput.outputTokens, 40);
    assert.equal(plain.result.latency, undefined, 'a plain run measures no stream latency');
    const l = streamed.result.latency!;
    assert.equal(l.timeToFirstToken!.n, 4);
    // First token after the prefill delay and one token's time; the other nine every 5 ms.
    assert.ok(l.timeToFirstToken!.p50Ms >= 45 && l.timeToFirstToken!.p50Ms < 1000, `TTFT ${l.timeToFirstToken!.p50Ms}`);
    assert.ok(
      l.interTokenLatency!.meanMs >= 4 && l.interTokenLatency!.meanMs < 100,
      `ITL ${l.interTokenLatency!.meanMs}`,
    );
    assert.ok(l.requestLatency!.p50Ms >= l.timeToFirstToken!.p50Ms + 9 * 4);
    assert.equal(server.stats.completed, 8);
  });

  it('streams every turn of a multi-turn conversation, completions for base models, and n completions', async () => {
    const { baseUrl } = await standin({
      tokenLatencyMs: 1,
      responses: [
        { match: 'count please', output: 'a b c' },
        { match: 'again', output: 'd e' },
      ],
    });
    const multi = await run({ baseUrl, samples: [chat(0, ['again'])], stream: true });
    assert.deepEqual(multi.predictions[0]!.details, { turns: ['a b c', 'd e'] });
    assert.equal(multi.result.latency!.timeToFirstToken!.n, 2);
    const base = await run({
      baseUrl,
      samples: [{ ...chat(1), prompt: 'count please now' }],
      chat: false,
      stream: true,
    });
    assert.equal(base.predictions[0]!.output, 'a b c');
    assert.equal(base.predictions[0]!.completionTokens, 3);
    const n = await run({
      baseUrl,
      samples: [chat(2)],
      stream: true,
      settings: { temperature: 0.7, topP: 1, maxTokens: 2, n: 3 },
    });
    assert.deepEqual(
      [n.predictions[0]!.outputs, n.predictions[0]!.finishReason, n.predictions[0]!.completionTokens],
      [['a b', 'a b', 'a b'], 'length', 6],
    );
  });

  it("a streamed request that fails is an error with the server's reason, after its retries", async () => {
    const { baseUrl } = await standin({ failMatch: 'count please 1' });
    const { predictions } = await run({ baseUrl, samples: [chat(0), chat(1)], stream: true });
    const failed = predictions.find((p) => p.id === 's1')!;
    assert.match(failed.error!, /HTTP 500: standin: simulated engine error/);
    assert.equal(predictions.find((p) => p.id === 's0')!.error, undefined);
  });
});
