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

describe('a dataset read a record at a time', () => {
  const s = tempFiles({
    'd.jsonl':
      [
        JSON.stringify({ question: 'shot', answer: '#### 1' }),
        JSON.stringify({ question: 'no final answer', answer: 'none' }),
        '{"question": broken',
        JSON.stringify({ question: 'q3', answer: '#### 3' }),
        JSON.stringify({ question: 'q4', answer: '#### 4' }),
        '[1]',
        JSON.stringify({ question: 'q6', answer: '#### 6' }),
        'not json either',
      ].join('\n') + '\n',
  });
  after(s.cleanup);

  it('reports every broken line of the file first, those past the sample limit too, then the records it skipped', () => {
    const loaded = loadDatasetSync(dataset({ format: 'gsm8k', path: 'd.jsonl', fewShot: 1 }), {
      root: s.dir,
      chat: true,
      limit: 1,
    });
    assert.deepEqual(
      loaded.samples.map((x) => [x.id, x.index, x.meta.line]),
      [['2', 2, 4]],
    );
    assert.deepEqual(
      loaded.problems.map((p) => [p.line, p.message.replace(/:.*/, '')]),
      [
        [3, 'invalid JSON'],
        [6, 'expected a JSON object'],
        [8, 'invalid JSON'],
        [2, '"answer" does not end with "#### N"'],
      ],
    );
  });
});
