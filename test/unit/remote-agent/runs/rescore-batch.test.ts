import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DatasetSchema, type Dataset } from '../../../../common/catalog/dataset';
import { PredictionSchema, type Prediction } from '../../../../common/run/records';
import { loadDatasetSync } from '../../../../remote-agent/datasets';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { rescorerOf } from '../../../../remote-agent/runs/rescore-prediction';
import { createScorer } from '../../../../remote-agent/scoring';
import { asPlainPrediction } from '../../../../remote-agent/store/prediction-shape';
import { transformPredictions } from '../../../../remote-agent/store/predictions-rewrite';
import { scorePrediction } from '../../../../remote-agent/work/score-prediction';
import { readJsonl, SHARED, skipUnlessShared } from '../../support/fidelity/shared';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-rescore-batch-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A prediction as a job leaves it, carrying an old verdict the re-score must replace. */
function predictionOf(s: Sample, i: number, output: string): Prediction {
  return {
    id: s.id,
    index: s.index,
    prompt: s.prompt as Prediction['prompt'],
    output,
    finishReason: 'stop',
    promptTokens: 5,
    completionTokens: 9,
    latencyMs: 3,
    verdict: i % 2 ? 'pass' : 'fail',
    reason: 'old',
    extracted: 'old',
    time: 't',
  };
}

/** Shapes a file really holds, each a case the fast shape check must accept as zod does, or leave to zod. */
function variants(p: Prediction, i: number): unknown {
  switch (i % 7) {
    case 1:
      return { ...p, error: 'engine returned 500', output: '' };
    case 2:
      return { ...p, outputs: [p.output, 'no answer here', p.output], passes: [true, true, false] };
    case 3:
      return { ...p, details: { kept: i } };
    case 4:
      return { ...p, unknownKey: 'zod strips it', reference: 'a reference the job recorded' };
    case 5:
      return JSON.parse(
        JSON.stringify({ ...p, details: { x: 1 } }).replace('"details":{', '"details":{"__proto__":{"polluted":true},'),
      );
    case 6:
      return { ...p, prompt: [{ role: 'user', content: 'q', name: 'extra key zod strips' }], truncated: true };
    default:
      return p;
  }
}

/** What the per-row path (zod parse, one awaited scorePrediction per row) writes for the file: the oracle. */
async function perRow(file: string, d: Dataset, samples: Map<string, Sample>): Promise<string[]> {
  const scorer = createScorer(d);
  const out: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const p = PredictionSchema.parse(JSON.parse(line));
    const { verdict: _v, reason: _r, extracted: _e, passes: _p, ...generated } = p;
    out.push(JSON.stringify(await scorePrediction(scorer, samples.get(p.id)!, generated)));
  }
  return out;
}

async function assertSameAsPerRow(
  name: string,
  d: Dataset,
  root: string,
  outputs: (s: Sample, k: number) => string[],
): Promise<number> {
  const { samples } = loadDatasetSync(d, { root, chat: true });
  const file = path.join(dir, name, 'predictions.jsonl');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines: unknown[] = [];
  let i = 0;
  samples.forEach((s, k) => outputs(s, k).forEach((o) => lines.push(variants(predictionOf(s, i, o), i++))));
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const bySample = new Map(samples.map((s) => [s.id, s]));
  const expected = await perRow(file, d, bySample);
  const scorer = createScorer(d);
  assert.ok(scorer.scoreSync, `${d.format}: a scorer that runs no code judges synchronously`);
  let passed = 0;
  await transformPredictions(
    file,
    rescorerOf(scorer, (p) => bySample.get(p.id), d),
    (p) => (passed += p.verdict === 'pass' ? 1 : 0),
  );
  const written = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  // Only each sample's last line stays: compare with the per-row result of those lines.
  const lastOf = new Map<string, string>();
  expected.forEach((l) => lastOf.set((JSON.parse(l) as Prediction).id, l));
  assert.deepEqual([...written].sort(), [...lastOf.values()].sort());
  assert.equal(Object.getPrototypeOf({}).polluted, undefined);
  return passed;
}

describe('the fast prediction check', () => {
  it('returns what zod returns, keys in the schema order, and leaves every doubtful value to zod', () => {
    const line = {
      time: 't',
      verdict: 'pass',
      id: 'a',
      index: 1,
      prompt: [{ content: 'q', role: 'user' }],
      output: 'o',
      finishReason: null,
      promptTokens: null,
      completionTokens: 2,
      latencyMs: 0.5,
      details: { b: 1 },
    };
    assert.equal(JSON.stringify(asPlainPrediction(line)), JSON.stringify(PredictionSchema.parse(line)));
    const every = {
      passes: [true],
      reference: 'r',
      extracted: 'e',
      reason: 'why',
      truncated: false,
      error: 'e',
      outputs: ['o'],
      reasoning: 'r',
      ...line,
    };
    assert.deepEqual(
      Object.keys(asPlainPrediction(every)!),
      Object.keys(PredictionSchema.shape),
      'every field, in the schema order',
    );
    assert.equal(JSON.stringify(asPlainPrediction(every)), JSON.stringify(PredictionSchema.parse(every)));
    for (const bad of [
      { ...line, index: -1 },
      { ...line, index: 1.5 },
      { ...line, verdict: 'maybe' },
      { ...line, extra: 1 },
      { ...line, details: [] },
      { ...line, prompt: [{ role: 'user' }] },
      { ...line, finishReason: undefined },
      JSON.parse('{"__proto__":{"id":"x"}}'),
      null,
      [line],
    ]) {
      assert.equal(asPlainPrediction(bad), undefined, JSON.stringify(bad));
    }
  });

  it('hands back a value already in the schema order as it is, and copies one that is not', () => {
    const ordered = {
      id: 'a',
      index: 1,
      prompt: [{ role: 'user', content: 'q' }],
      output: 'o',
      finishReason: null,
      promptTokens: null,
      completionTokens: 2,
      latencyMs: 0.5,
      verdict: 'pass',
      details: { b: 1 },
      time: 't',
    };
    assert.equal(asPlainPrediction(ordered), ordered);
    for (const shuffled of [
      { ...ordered, prompt: [{ content: 'q', role: 'user' }] },
      Object.fromEntries([['time', 't'], ...Object.entries(ordered)]),
      { ...ordered, reason: 'after details' },
    ]) {
      const plain = asPlainPrediction(shuffled);
      assert.notEqual(plain, shuffled);
      assert.equal(JSON.stringify(plain), JSON.stringify(PredictionSchema.parse(shuffled)));
    }
  });
});

describe('batch re-score (scorers that run no code) writes what the per-row path writes', () => {
  it(
    'GSM8K with the published GPT-3 solutions: the same lines, verdicts, reasons and extractions',
    { skip: skipUnlessShared('gsm8k/test.jsonl', 'generations/gsm8k_openai_gpt3/example_model_solutions.jsonl') },
    async () => {
      const rows = readJsonl<Record<string, { solution: string }>>(
        'generations/gsm8k_openai_gpt3/example_model_solutions.jsonl',
      );
      const d = DatasetSchema.parse({ format: 'gsm8k', path: 'gsm8k/test.jsonl' });
      const passed = await assertSameAsPerRow('gsm8k', d, SHARED, (_s, k) =>
        ['6b_finetuning', '175b_verification'].map((set) => rows[k]![set]!.solution),
      );
      assert.ok(passed > 100, `some solutions pass (${passed})`);
    },
  );

  it(
    'ARC-Challenge: the right letter, another letter, and text with no letter',
    { skip: skipUnlessShared('arc/ARC-Challenge-Test.jsonl') },
    async () => {
      const d = DatasetSchema.parse({ format: 'multiple_choice', path: 'arc/ARC-Challenge-Test.jsonl' });
      await assertSameAsPerRow('arc', d, SHARED, (s) => {
        assert.equal(s.meta.kind, 'choice');
        if (s.meta.kind !== 'choice') return [];
        const { labels, answerIndex } = s.meta;
        return [
          `Answer: ${labels[answerIndex]}`,
          `Answer: ${labels[(answerIndex + 1) % labels.length]}`,
          'I cannot tell.',
        ];
      });
    },
  );

  it('generated data with hostile outputs: huge numbers, NaN text, control characters, a reference that is not a number', async () => {
    const file = path.join(dir, 'gen.jsonl');
    const answers = ['12', '-3.5', '1e400', 'NaN', '\u0000\u202e7', '9'.repeat(400), '{"__proto__":1}', ''];
    fs.writeFileSync(
      file,
      answers
        .map((a, i) => JSON.stringify({ question: `q${i}`, answer: `w\n#### ${i === 3 ? 'not a number' : a || '0'}` }))
        .join('\n') + '\n',
    );
    const d = DatasetSchema.parse({ format: 'gsm8k', path: file });
    await assertSameAsPerRow('generated', d, '/', (s, k) => [
      `so #### ${answers[k]}`,
      `The answer is ${answers[(k + 1) % answers.length]}.`,
      answers[k]!,
    ]);
  });
});
