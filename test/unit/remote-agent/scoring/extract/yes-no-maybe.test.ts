import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetSchema } from '../../../../../common/catalog/dataset';
import type { Sample } from '../../../../../remote-agent/datasets/types';
import { createScorer, reasonClass } from '../../../../../remote-agent/scoring';
import { extractYesNoMaybe } from '../../../../../remote-agent/scoring/extract/yes-no-maybe';

describe('yes/no/maybe extraction', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    [' yes', 'yes', 'first word'],
    ['No.', 'no', 'first word'],
    ['**Maybe** – the pilot had no control group.', 'maybe', 'first word'],
    ['Based on the context, the answer is no.', 'no', 'answer is'],
    ['Answer: Yes', 'yes', 'answer is'],
    ['Final decision: maybe', 'maybe', 'answer is'],
    ['the answer to the question given the context is yes.', 'yes', 'answer is'],
    ['Answer (yes, no or maybe): no', 'no', 'answer is'],
    ['something else. Answer (yes, no', undefined, undefined],
    ['Answer (yes/no/maybe): maybe', 'maybe', 'answer is'],
    ['Yes, no side effects were seen.', 'yes', 'first word'],
    ['<think>Could be yes... or no.</think>Answer: maybe', 'maybe', 'answer is'],
    ['Probably yes.', 'yes', 'short answer'],
    [
      'The study shows a clear benefit of the intervention on outcomes measured at twelve weeks and beyond.',
      undefined,
      undefined,
    ],
    ['', undefined, undefined],
  ];
  for (const [output, answer, rule] of cases) {
    it(`${JSON.stringify(output)} → ${answer ?? 'nothing'}`, () => {
      const got = extractYesNoMaybe(output);
      assert.equal(got.answer, answer);
      assert.equal(got.rule, rule);
    });
  }

  it('a short answer naming two decisions is ambiguous', () => {
    assert.deepEqual(extractYesNoMaybe('Either yes or maybe.'), { ambiguous: ['yes', 'maybe'] });
  });
});

describe('yes/no/maybe scorer', () => {
  const scorer = createScorer(DatasetSchema.parse({ format: 'pubmedqa', path: 'x' }));
  const sample: Sample = {
    id: '1',
    index: 0,
    prompt: '',
    reference: 'yes',
    referenceOutput: ' yes',
    meta: { kind: 'yes_no_maybe', answer: 'yes' },
  };

  it('gives a verdict with its reason', async () => {
    assert.deepEqual(await scorer.score(sample, ' yes'), {
      verdict: 'pass',
      reason: 'correct: yes',
      extracted: 'yes',
      details: { rule: 'first word' },
    });
    const wrong = await scorer.score(sample, 'The answer is no.');
    assert.deepEqual(
      [wrong.verdict, wrong.reason, reasonClass(wrong.reason)],
      ['fail', 'wrong answer "no" != "yes"', 'wrong answer'],
    );
    assert.deepEqual(await scorer.score(sample, 'It depends on many things that were not measured here at all.'), {
      verdict: 'fail',
      reason: 'no answer extracted',
    });
    const ambiguous = await scorer.score(sample, 'yes or no');
    assert.equal(ambiguous.verdict, 'pass', 'the first word decides before ambiguity is considered');
    assert.equal(reasonClass((await scorer.score(sample, 'Either yes or maybe.')).reason), 'ambiguous answer');
  });
});
