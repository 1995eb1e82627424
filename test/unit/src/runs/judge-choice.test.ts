import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetSchema, type Dataset } from '../../../../common/catalog/dataset';
import { ModelSchema, type Model } from '../../../../common/catalog/model';
import { datasetsNeedingJudge, judgeDecision } from '../../../../src/runs/judge-choice';

const models: Record<string, Model> = {
  small: ModelSchema.parse({ hf: 'org/small', params: 8 }),
  big: ModelSchema.parse({ hf: 'org/big', params: 70 }),
  base: ModelSchema.parse({ hf: 'org/base', params: 100, chat: false }),
  mid: ModelSchema.parse({ hf: 'org/mid', params: 32 }),
};

function datasets(): Record<string, Dataset> {
  return {
    gsm8k: DatasetSchema.parse({ format: 'gsm8k', path: 'data/gsm8k.jsonl' }),
    mt: DatasetSchema.parse({ format: 'mt_bench', path: 'data/mt.jsonl' }),
    mtJudged: DatasetSchema.parse({ format: 'mt_bench', path: 'data/mt.jsonl', judge: 'big' }),
    custom: DatasetSchema.parse({
      format: 'jsonl',
      path: 'data/c.jsonl',
      fields: { prompt: 'q', reference: 'a' },
      scorer: 'judge',
    }),
  };
}

describe('launch judge choice', () => {
  it('finds judged datasets (mt_bench format or judge scorer) that name no judge', () => {
    assert.deepEqual(datasetsNeedingJudge(datasets()), ['mt', 'custom']);
    assert.deepEqual(datasetsNeedingJudge(datasets(), 'mid'), [], 'a run judge grades them all');
    const { gsm8k, mtJudged } = datasets();
    assert.deepEqual(datasetsNeedingJudge({ gsm8k: gsm8k!, mtJudged: mtJudged! }), []);
  });

  it('asks nothing when every judged dataset has its judge', () => {
    const { gsm8k, mtJudged } = datasets();
    assert.deepEqual(judgeDecision(models, { gsm8k: gsm8k!, mtJudged: mtJudged! }, ['small']), { kind: 'none' });
  });

  it('offers chat models only, those outside the run first and larger first', () => {
    const d = judgeDecision(models, datasets(), ['big']);
    assert.equal(d.kind, 'ask');
    if (d.kind !== 'ask') return;
    assert.deepEqual(d.datasets, ['mt', 'custom']);
    assert.deepEqual(
      d.candidates.map((c) => c.id),
      ['mid', 'small', 'big'],
      'the base model cannot judge; the evaluated model comes last',
    );
    assert.deepEqual(d.candidates[0], { id: 'mid', description: 'org/mid · 32B', underEvaluation: false });
    assert.equal(d.candidates[2]!.underEvaluation, true);
  });

  it('says why when the catalog has no chat model to judge with', () => {
    const { mt } = datasets();
    const d = judgeDecision({ base: models['base']! }, { mt: mt! }, ['base']);
    assert.equal(d.kind, 'no-candidates');
    if (d.kind === 'no-candidates')
      assert.match(d.message, /"mt" is graded by a judge model, but the catalog has no chat model/);
  });
});
