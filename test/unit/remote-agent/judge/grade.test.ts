import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { combineTurns, rejudgeFromDetails, turnRequests } from '../../../../remote-agent/judge/grade';
import { JUDGE_PASS_RATE, judgedMetrics } from '../../../../remote-agent/judge/summary';
import { buildTaskResult } from '../../../../remote-agent/work/task-result';

const sample: Sample = {
  id: 'q1',
  index: 0,
  prompt: [{ role: 'user', content: 'Q1' }],
  followUps: ['Q2'],
  reference: '',
  referenceOutput: '',
  meta: { kind: 'mt_bench', category: 'writing', turns: ['Q1', 'Q2'], reference: [] },
};

function prediction(id: string, extra: Partial<Prediction> = {}): Prediction {
  return {
    id,
    index: 0,
    prompt: [],
    output: 'A2',
    finishReason: 'stop',
    promptTokens: 1,
    completionTokens: 1,
    latencyMs: 1,
    time: '2025-01-01T00:00:00Z',
    details: { turns: ['A1', 'A2'] },
    ...extra,
  };
}

describe('single-answer grading of a multi-turn answer', () => {
  const requests = turnRequests(sample, prediction('q1'));

  it('asks the judge once per answered turn', () => {
    assert.deepEqual(
      requests.map((r) => [r.turn, r.template]),
      [
        [0, 'single-v1'],
        [1, 'single-v1-multi-turn'],
      ],
    );
    assert.equal(turnRequests(sample, prediction('q1', { details: { turns: ['only one'] } })).length, 1);
  });

  it('the rating is the mean of the turns; pass at 7 or above', () => {
    const pass = combineTurns('judge-m', requests, [{ text: 'Rating: [[8]]' }, { text: 'Rating: [[7]]' }]);
    assert.deepEqual([pass.verdict, pass.reason, pass.extracted], ['pass', 'rated 7.50 of 10', '7.50']);
    assert.deepEqual((pass.details!.judge as { ratings: number[]; rating: number }).ratings, [8, 7]);
    const fail = combineTurns('judge-m', requests, [{ text: 'Rating: [[7]]' }, { text: 'Rating: [[6]]' }]);
    assert.deepEqual([fail.verdict, fail.reason], ['fail', 'low rating: 6.50 of 10 (pass mark 7)']);
  });

  it('an unparseable turn makes the answer an error with its reason, never a zero', () => {
    const j = combineTurns('judge-m', requests, [{ text: 'Rating: [[9]]' }, { text: 'I would say it is good.' }]);
    assert.equal(j.verdict, 'error');
    assert.match(
      j.reason,
      /^unparseable judgement: turn 2: no "\[\[rating\]\]" in the judge's answer "I would say it is good\."$/,
    );
    assert.equal(j.extracted, undefined);
    assert.equal((j.details!.judge as { rating?: number }).rating, undefined);
  });

  it('a judge request that failed is an error that says so', () => {
    const j = combineTurns('judge-m', requests, [{ error: 'HTTP 500: boom' }, { text: 'Rating: [[9]]' }]);
    assert.deepEqual([j.verdict, j.reason], ['error', 'judge request failed: turn 1: HTTP 500: boom']);
  });

  it('rescoring re-reads the kept judge answers: same verdict, no judge involved', () => {
    const j = combineTurns('judge-m', requests, [{ text: 'Rating: [[8]]' }, { text: 'Rating: [[7]]' }]);
    const judged = prediction('q1', {
      verdict: j.verdict,
      reason: j.reason,
      details: { turns: ['A1', 'A2'], ...j.details },
    });
    assert.deepEqual(rejudgeFromDetails(judged), j);
    const never = rejudgeFromDetails(prediction('q2', { verdict: 'error', reason: 'needs a judge: …' }));
    assert.deepEqual(never, { verdict: 'error', reason: 'needs a judge: …' });
  });
});

describe('the metric of a judged task', () => {
  function judged(id: string, ratings: number[]): Prediction {
    const requests = ratings.map((_, turn) => ({
      predictionId: id,
      turn,
      template: 'single-v1' as const,
      messages: [],
    }));
    const j = combineTurns(
      'judge-m',
      requests,
      ratings.map((r) => ({ text: `Rating: [[${r}]]` })),
    );
    return prediction(id, { verdict: j.verdict, reason: j.reason, details: { ...j.details } });
  }

  it('is the mean rating ± its standard error over rated answers; errors count as errors, not zeros', () => {
    const preds = [
      judged('a', [8, 10]),
      judged('b', [6, 4]),
      judged('c', [7, 7]),
      prediction('d', { verdict: 'error', reason: 'unparseable judgement: …' }),
    ];
    const m = judgedMetrics(preds);
    assert.equal(m.value, 7);
    assert.equal(m.rated, 3);
    assert.ok(Math.abs(m.stderr - Math.sqrt((2 ** 2 + 2 ** 2 + 0) / 2 / 3)) < 1e-12);
    assert.deepEqual(m.extraMetrics[JUDGE_PASS_RATE]!.n, 3);
    assert.ok(Math.abs(m.extraMetrics[JUDGE_PASS_RATE]!.value - 2 / 3) < 1e-12);
    assert.equal(m.extraMetrics['rating, turn 1']!.value, 7);
    assert.equal(m.extraMetrics['rating, turn 2']!.value, 7);

    const r = buildTaskResult({
      model: 'm',
      dataset: 'mt',
      predictions: preds,
      scorer: 'judge',
      metric: 'judge score',
      startedAt: 'a',
      endedAt: 'b',
      judge: 'judge-m',
    });
    assert.deepEqual(
      [r.metric, r.value, r.n, r.passed, r.failed, r.errors, r.judge],
      ['judge score', 7, 4, 2, 1, 1, 'judge-m'],
    );
    assert.equal(r.reasons['unparseable judgement'], 1);
    assert.equal(r.failure, undefined);
  });

  it('a task whose judgements mostly failed to parse is a failure with that reason', () => {
    const bad = ['a', 'b', 'c'].map((id) =>
      prediction(id, { verdict: 'error', reason: 'unparseable judgement: no "[[rating]]" in …' }),
    );
    const r = buildTaskResult({
      model: 'm',
      dataset: 'mt',
      predictions: [...bad, judged('d', [9])],
      scorer: 'judge',
      metric: 'judge score',
      startedAt: 'a',
      endedAt: 'b',
    });
    assert.equal(r.value, 9);
    assert.match(r.failure!, /^3 of 4 samples errored; most often \(3×\): unparseable judgement/);
  });
});
