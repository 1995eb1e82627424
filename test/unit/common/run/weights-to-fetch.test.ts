import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelSchema } from '../../../../common/catalog/model';
import type { Plan, PlanModelState } from '../../../../common/run/plan-schema';
import { weightsToFetch } from '../../../../common/run/weights-to-fetch';

const models = {
  base: ModelSchema.parse({ hf: 'o/base', adapters: { sql: 'o/sql-lora' } }),
  cached: ModelSchema.parse({ hf: 'o/cached' }),
  ckpt: ModelSchema.parse({ hf: '/scratch/ckpt' }),
  gated: ModelSchema.parse({ hf: 'o/gated' }),
};
const src = (source: string, state: PlanModelState, bytes?: number, adapter?: string) => ({
  source,
  state,
  message: '',
  ...(bytes !== undefined ? { bytes } : {}),
  ...(adapter ? { adapter } : {}),
});

describe('the weights a launch fetches before submission', () => {
  it('takes each model with a source to download once, by its base id, and sums the bytes of distinct sources', () => {
    const plan: Plan = {
      tasks: [],
      jobs: [],
      totalGpus: 0,
      estimatedGpuHours: 0,
      warnings: [],
      models: [
        { model: 'base', hfHome: '/h', offline: false, sources: [src('o/base', 'download', 1000)] },
        {
          model: 'base:sql',
          hfHome: '/h',
          offline: false,
          sources: [src('o/base', 'download', 1000), src('o/sql-lora', 'download', 10, 'sql')],
        },
        { model: 'cached', hfHome: '/h', offline: true, sources: [src('o/cached', 'cached')] },
        { model: 'ckpt', hfHome: '/h', offline: true, sources: [src('/scratch/ckpt', 'path')] },
        { model: 'gated', hfHome: '/h', offline: false, sources: [src('o/gated', 'gated')] },
      ],
    };
    const r = weightsToFetch(plan, models);
    assert.deepEqual(Object.keys(r.models), ['base']);
    assert.equal(r.bytes, 1010);
    assert.deepEqual(r.sources, ['o/base', 'o/sql-lora']);
  });

  it('a plan without a look at the weights (reference engine) fetches nothing', () => {
    const r = weightsToFetch({ tasks: [], jobs: [], totalGpus: 0, estimatedGpuHours: 0, warnings: [] }, models);
    assert.deepEqual([r.models, r.bytes, r.sources], [{}, 0, []]);
  });
});
