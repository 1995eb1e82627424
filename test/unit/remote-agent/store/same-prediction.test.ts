import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import { samePrediction } from '../../../../remote-agent/store/same-prediction';

const base = (): Prediction =>
  ({
    id: 'a',
    index: 0,
    prompt: [{ role: 'user', content: 'q' }],
    output: '#### 4',
    finishReason: 'stop',
    promptTokens: 3,
    completionTokens: 2,
    latencyMs: 5,
    details: { judge: { rating: 7 } },
    time: '2026-01-01T00:00:00.000Z',
    verdict: 'pass',
    reason: 'correct',
    extracted: '4',
    passes: [true, false],
  }) as unknown as Prediction;

describe('samePrediction: whether a re-scored prediction is the one it came from', () => {
  it('is the same for an equal copy, whatever the key order', () => {
    const { verdict, ...rest } = base();
    assert.equal(samePrediction(base(), { verdict, ...rest } as Prediction), true);
  });

  it('differs on any changed field, nested values and pass@k verdicts included', () => {
    const changes: Array<(p: Record<string, unknown>) => void> = [
      (p) => (p.verdict = 'fail'),
      (p) => (p.reason = 'wrong answer'),
      (p) => delete p.extracted,
      (p) => (p.extra = 1),
      (p) => (p.passes = [true, true]),
      (p) => (p.passes = [true]),
      (p) => ((p.details as { judge: { rating: number } }).judge.rating = 8),
      (p) => ((p.prompt as Array<{ content: string }>)[0]!.content = 'other'),
      (p) => (p.latencyMs = '5'),
    ];
    for (const change of changes) {
      const after = base() as unknown as Record<string, unknown>;
      change(after);
      assert.equal(samePrediction(base(), after as unknown as Prediction), false, String(change));
    }
  });
});
