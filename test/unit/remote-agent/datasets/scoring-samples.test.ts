import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadDatasetSync } from '../../../../remote-agent/datasets';
import { dataset, jsonl, tempFiles } from '../../support/datasets/fixtures';

const t = tempFiles({
  'gsm8k.jsonl': jsonl([
    ...Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, question: `What is ${i} + 1?`, answer: `#### ${i + 1}` })),
    { id: 'q6', question: 'no final answer', answer: 'none' },
    { id: 'q2', question: 'a repeated id', answer: '#### 9' },
    { question: 'no id of its own', answer: '#### 1,000' },
  ]),
});
after(t.cleanup);

describe('a dataset loaded for scoring alone', () => {
  it('has the samples, references and meta a load for generating has, with no prompt built', () => {
    const d = dataset({ format: 'gsm8k', path: 'gsm8k.jsonl', fewShot: 2 });
    const full = loadDatasetSync(d, { root: t.dir, chat: true, contextLength: 64, maxTokens: 16 });
    const scoring = loadDatasetSync(d, { root: t.dir, chat: true, contextLength: 64, maxTokens: 16, prompts: false });
    assert.ok(
      full.samples.some((s) => s.truncated),
      'the fixture truncates a prompt when prompts are built',
    );
    assert.deepEqual(
      scoring.samples,
      full.samples.map(({ truncated: _t, ...s }) => ({ ...s, prompt: '' })),
    );
    assert.deepEqual(scoring.problems, full.problems);
    assert.equal(scoring.fewShotCount, full.fewShotCount);
  });
});
