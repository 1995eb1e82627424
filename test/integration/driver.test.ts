import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../remote-agent/datasets/types';
import { drive } from '../../remote-agent/generate/driver';
import type { DriveOptions, GeneratedPrediction } from '../../remote-agent/generate/types';
import { startMetricsSampler, type MetricsSample } from '../../remote-agent/engines/metrics';
import { driveCollecting, standinsClosedAfter } from './helpers/in-process-standin';

const standin = standinsClosedAfter();

function chatSample(i: number, text = `question number ${i}`): Sample {
  return {
    id: `s${i}`,
    index: i,
    prompt: [{ role: 'user', content: text }],
    reference: '',
    referenceOutput: '',
    meta: { kind: 'jsonl' },
  };
}

function run(o: Partial<DriveOptions> & Pick<DriveOptions, 'baseUrl' | 'samples'>) {
  return driveCollecting({
    servedModel: 'test/model',
    chat: true,
    settings: { temperature: 0, topP: 1, maxTokens: 64, seed: 1 },
    concurrency: 4,
    retries: 3,
    backoffMs: 1,
    ...o,
  });
}

describe('generation driver against the vLLM stand-in', () => {
  it('keeps exactly `concurrency` requests in flight, as a pool (a slow request does not hold the others back)', async () => {
    const { server, baseUrl } = await standin({
      latencyMs: 5,
      tokenLatencyMs: 10,
      responses: [{ match: 'slow one', output: Array(60).fill('word').join(' ') }],
    });
    const samples = [chatSample(0, 'the slow one'), ...Array.from({ length: 40 }, (_, i) => chatSample(i + 1))];
    const { predictions, result } = await run({ baseUrl, samples, concurrency: 8 });
    assert.equal(server.stats.maxInFlight, 8);
    assert.equal(predictions.length, 41);
    assert.equal(result.errors, 0);
    // The slow sample (~600 ms) started first; 40 fast ones (~55 ms each) on 7 other slots finish before it.
    assert.equal(predictions[predictions.length - 1]!.id, 's0');
  });

  it('reports each prediction with output, tokens from usage, latency and finish reason', async () => {
    const { server, baseUrl } = await standin({ responses: [{ match: 'capital', output: 'Paris is the capital' }] });
    const { predictions, result } = await run({
      baseUrl,
      samples: [chatSample(0, 'the capital of France?'), chatSample(1, 'one two three four')],
      settings: { temperature: 0, topP: 1, maxTokens: 2 },
    });
    const byId = Object.fromEntries(predictions.map((p) => [p.id, p]));
    assert.equal(byId.s0!.output, 'Paris is');
    assert.equal(byId.s0!.finishReason, 'length');
    assert.equal(byId.s0!.completionTokens, 2);
    assert.equal(byId.s0!.promptTokens, 4);
    assert.deepEqual(byId.s0!.prompt, [{ role: 'user', content: 'the capital of France?' }]);
    assert.ok(byId.s0!.latencyMs >= 0 && typeof byId.s0!.time === 'string');
    assert.equal(result.throughput.outputTokens, server.stats.generationTokens);
    assert.equal(result.throughput.promptTokens, server.stats.promptTokens);
    assert.ok(result.throughput.latencyP50Ms !== undefined && result.throughput.latencyP95Ms !== undefined);
    assert.ok(result.throughput.outputTokensPerS > 0);
  });

  it('sends text prompts to /v1/completions for base models, with stop sequences and n completions', async () => {
    const { baseUrl } = await standin({ responses: [{ match: 'Q:', output: 'A: 4\nQ: next' }] });
    const sample: Sample = {
      id: 't',
      index: 0,
      prompt: 'Q: 2+2?\n',
      reference: '4',
      referenceOutput: '',
      meta: { kind: 'jsonl' },
    };
    const { predictions } = await run({
      baseUrl,
      samples: [sample],
      chat: false,
      settings: { temperature: 0.8, topP: 0.95, maxTokens: 32, stop: ['\nQ:'], n: 3 },
    });
    assert.equal(predictions[0]!.output, 'A: 4');
    assert.deepEqual(predictions[0]!.outputs, ['A: 4', 'A: 4', 'A: 4']);
    assert.equal(predictions[0]!.prompt, 'Q: 2+2?\n');
  });

  it('retries 5xx with backoff until it succeeds', async () => {
    const { server, baseUrl } = await standin({ failFirst: 3 });
    const { predictions, result } = await run({
      baseUrl,
      samples: [chatSample(0), chatSample(1)],
      concurrency: 1,
      retries: 3,
    });
    assert.equal(result.errors, 0);
    assert.ok(predictions.every((p) => p.error === undefined && p.output.startsWith('standin says')));
    assert.equal(server.stats.requests, 5);
  });

  it('gives up after the retries: that sample becomes a prediction with the error, the others go on', async () => {
    const { server, baseUrl } = await standin({ failMatch: 'poison' });
    const { predictions, result } = await run({
      baseUrl,
      samples: [chatSample(0, 'poison pill'), chatSample(1), chatSample(2)],
      retries: 2,
    });
    const bad = predictions.find((p) => p.id === 's0')!;
    assert.match(bad.error ?? '', /HTTP 500: standin: simulated engine error/);
    assert.equal(bad.output, '');
    assert.equal(result.errors, 1);
    assert.equal(predictions.length, 3);
    assert.equal(server.stats.requests, 3 + 2);
  });

  it('does not retry a 4xx', async () => {
    const { server, baseUrl } = await standin();
    const { predictions } = await run({ baseUrl, samples: [chatSample(0), chatSample(1)], servedModel: 'wrong/name' });
    assert.ok(predictions.every((p) => /HTTP 404: The model `wrong\/name` does not exist/.test(p.error ?? '')));
    assert.equal(server.stats.requests, 2);
  });

  it('times out a request that takes too long', async () => {
    const { baseUrl } = await standin({ latencyMs: 5000 });
    const started = Date.now();
    const { predictions } = await run({ baseUrl, samples: [chatSample(0)], requestTimeoutMs: 200 });
    assert.match(predictions[0]!.error ?? '', /no answer within 0.2 s/);
    assert.ok(Date.now() - started < 3000);
  });

  it('turns a dead server into predictions with errors, never a crash', async () => {
    const { server, baseUrl } = await standin();
    await server.close();
    const { predictions, result } = await run({ baseUrl, samples: [chatSample(0), chatSample(1), chatSample(2)] });
    assert.equal(predictions.length, 3);
    assert.equal(result.errors, 3);
    assert.ok(
      predictions.every((p) => /ECONNREFUSED/.test(p.error ?? '')),
      predictions.map((p) => p.error).join('; '),
    );
  });

  it('stops trying once the engine refuses connections sample after sample', async () => {
    const { server, baseUrl } = await standin();
    await server.close();
    const started = Date.now();
    const { predictions } = await run({
      baseUrl,
      samples: Array.from({ length: 60 }, (_, i) => chatSample(i)),
      concurrency: 2,
      retries: 3,
      backoffMs: 40,
    });
    assert.equal(predictions.length, 60);
    assert.ok(predictions.every((p) => p.error !== undefined));
    assert.ok(
      predictions.filter((p) => /^not sent: the engine refuses connections \(.*ECONNREFUSED/.test(p.error!)).length >=
        50,
    );
    // Each sample that is tried waits ~40+80+160 ms; all 60 one by one on 2 slots would take ~8 s.
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });

  it('survives a server that dies mid-run', async () => {
    const { baseUrl } = await standin({ dieAfter: 5, latencyMs: 2 });
    // One at a time, so exactly the first five are answered before the crash.
    const { predictions, result } = await run({
      baseUrl,
      samples: Array.from({ length: 20 }, (_, i) => chatSample(i)),
      concurrency: 1,
    });
    assert.equal(predictions.length, 20);
    assert.equal(predictions.filter((p) => !p.error).length, 5);
    assert.equal(result.errors, 15);
  });

  it('scores log-likelihood multiple choice from echoed logprobs', async () => {
    const { server, baseUrl } = await standin({ likely: new Set(['Paris']) });
    const sample: Sample = {
      id: 'mc',
      index: 0,
      prompt: '',
      choices: { context: 'The capital of France is ', continuations: ['Berlin', 'Paris', 'Rome'] },
      reference: 'B',
      referenceOutput: '1',
      meta: { kind: 'jsonl' },
    };
    const { predictions } = await run({ baseUrl, samples: [sample] });
    const p = predictions[0]!;
    assert.equal(p.error, undefined);
    assert.equal(p.output, '1', 'the chosen index, as the choice scorer reads it');
    assert.equal(p.details?.choiceIndex, 1);
    const sums = p.details?.loglikelihoods as number[];
    assert.equal(sums.length, 3);
    assert.equal(sums[1], -0.05, 'only the continuation token counts, not the context nor the generated token');
    assert.equal(server.stats.requests, 3);
  });

  it('sends multi-turn follow-ups one after another, each after the previous answer', async () => {
    const { server, baseUrl } = await standin({
      responses: [
        { match: 'first question', output: 'first answer' },
        { match: 'second question', output: 'second answer' },
      ],
    });
    const sample: Sample = { ...chatSample(0, 'first question'), followUps: ['second question'] };
    const { predictions } = await run({ baseUrl, samples: [sample] });
    const p = predictions[0]!;
    assert.equal(p.output, 'second answer');
    assert.deepEqual(p.details?.turns, ['first answer', 'second answer']);
    assert.deepEqual(p.prompt, [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second question' },
    ]);
    assert.equal(server.stats.requests, 2);
  });

  it('stops on abort: no new requests, in-flight samples report nothing', async () => {
    const { server, baseUrl } = await standin({ latencyMs: 40 });
    const controller = new AbortController();
    const predictions: GeneratedPrediction[] = [];
    const result = await drive({
      baseUrl,
      servedModel: 'test/model',
      chat: true,
      settings: { temperature: 0, topP: 1, maxTokens: 8 },
      concurrency: 2,
      samples: Array.from({ length: 50 }, (_, i) => chatSample(i)),
      onPrediction: (p) => {
        predictions.push(p);
        if (predictions.length === 4) controller.abort();
      },
      signal: controller.signal,
    });
    assert.equal(result.aborted, true);
    assert.ok(predictions.length >= 4 && predictions.length <= 5, `got ${predictions.length}`);
    assert.ok(predictions.every((p) => !p.error));
    assert.ok(server.stats.requests <= 6);
  });

  it('stops and rejects when reporting a prediction fails (e.g. the disk is full)', async () => {
    const { server, baseUrl } = await standin({ latencyMs: 5 });
    let reported = 0;
    await assert.rejects(
      drive({
        baseUrl,
        servedModel: 'test/model',
        chat: true,
        settings: { temperature: 0, topP: 1, maxTokens: 8 },
        concurrency: 3,
        samples: Array.from({ length: 100 }, (_, i) => chatSample(i)),
        onPrediction: () => {
          if (++reported === 2) throw new Error('ENOSPC: no space left on device');
        },
      }),
      /ENOSPC/,
    );
    assert.equal(reported, 2, 'nothing is reported after the failure');
    assert.ok(server.stats.requests <= 5, `sent ${server.stats.requests}`);
  });

  it("samples the engine's /metrics while it works", async () => {
    const { baseUrl } = await standin({ latencyMs: 30 });
    const seen: MetricsSample[] = [];
    const sampler = startMetricsSampler({ baseUrl, intervalMs: 20, onSample: (m) => seen.push(m) });
    await run({ baseUrl, samples: Array.from({ length: 60 }, (_, i) => chatSample(i)), concurrency: 6 });
    sampler.stop();
    assert.ok(
      seen.some((m) => (m.running ?? 0) > 0),
      'saw requests running',
    );
    assert.ok(seen.some((m) => (m.kvCacheUsage ?? 0) > 0));
    assert.ok(
      seen.some((m) => (m.tokensPerS ?? 0) > 0),
      'derived a token rate from the counter',
    );
  });
});
