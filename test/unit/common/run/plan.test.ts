import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCatalog, type Catalog } from '../../../../common/catalog/files';
import { ModelSchema } from '../../../../common/catalog/model';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { PresetSchema } from '../../../../common/catalog/preset';
import { expandPlan } from '../../../../common/run/plan';

function catalog(): Catalog {
  const c = emptyCatalog();
  const sizes: Record<string, number> = { m1: 7, m2: 14, m3: 32, m4: 70, m5: 8 };
  for (const [id, params] of Object.entries(sizes))
    c.models[id] = ModelSchema.parse({ hf: `org/${id}`, params, gated: id === 'm5' });
  for (const d of ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'])
    c.datasets[d] = DatasetSchema.parse({ format: 'gsm8k', path: `${d}.jsonl`, samples: 10 });
  c.categories['big'] = {
    models: ['m1', 'm2', 'm3', 'm4', 'm5'],
    datasets: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'],
  };
  return c;
}
const preset = PresetSchema.parse({ engine: { gpuMemoryUtilization: 0.85, maxNumSeqs: 64 } });

describe('plan expansion', () => {
  it('turns a 5-model × 7-dataset category into 35 tasks in 5 jobs', () => {
    const r = expandPlan(catalog(), { selection: { category: 'big' }, preset });
    assert.ok(r.ok);
    assert.equal(r.plan.tasks.length, 35);
    assert.equal(r.plan.jobs.length, 5);
    assert.deepEqual(
      r.plan.jobs.map((j) => j.datasets.length),
      [7, 7, 7, 7, 7],
    );
    assert.ok(r.plan.tasks.every((t) => t.samples === 10));
  });

  it('drops excluded models', () => {
    const r = expandPlan(catalog(), { selection: { category: 'big', excludeModels: ['m2', 'm4'] }, preset });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.jobs.map((j) => j.model),
      ['m1', 'm3', 'm5'],
    );
    assert.equal(r.plan.tasks.length, 21);
  });

  it('derives GPUs from size, quantization and memory utilization', () => {
    const c = catalog();
    c.models['m4q'] = ModelSchema.parse({ hf: 'org/m4q', params: 70, quantization: 'awq' });
    const r = expandPlan(c, { selection: { models: ['m1', 'm3', 'm4', 'm4q'], datasets: ['d1'] }, preset });
    assert.ok(r.ok);
    assert.deepEqual(Object.fromEntries(r.plan.jobs.map((j) => [j.model, j.gpus])), { m1: 1, m3: 2, m4: 4, m4q: 1 });
  });

  it('warns when a model is too large for the preset and the node', () => {
    const c = catalog();
    c.models['huge'] = ModelSchema.parse({ hf: 'org/huge', params: 405 });
    c.models['pinned'] = ModelSchema.parse({ hf: 'org/pinned', params: 70, tensorParallel: 1 });
    const r = expandPlan(c, {
      selection: { models: ['huge', 'pinned'], datasets: ['d1'] },
      preset,
      cluster: { gpusPerNode: 8, gpuMemoryGb: 80 },
    });
    assert.ok(r.ok);
    const w = r.plan.warnings.filter((x) => x.code === 'model_too_large').map((x) => x.model);
    assert.deepEqual(w, ['huge', 'pinned']);
  });

  it('warns about gated models without a token', () => {
    const r = expandPlan(catalog(), { selection: { category: 'big' }, preset, hfTokenAvailable: false });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.warnings.filter((w) => w.code === 'gated_model').map((w) => w.model),
      ['m5'],
    );
  });

  it('makes unknown references errors, with suggestions', () => {
    const r = expandPlan(catalog(), { selection: { models: ['m1', 'mm2'], datasets: ['d9'] }, preset });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.deepEqual(r.errors, [
      'unknown model "mm2" (did you mean "m2"?)',
      'unknown dataset "d9" (did you mean "d1"?)',
    ]);
    const r2 = expandPlan(catalog(), { selection: { category: 'nope' }, preset });
    assert.ok(!r2.ok);
    assert.match(r2.errors[0]!, /unknown category "nope"/);
  });

  it('caps samples at the limit and the dataset size', () => {
    const r = expandPlan(catalog(), {
      selection: { models: ['m1'], datasets: ['d1', 'd2'] },
      preset,
      samples: 4,
      datasetSizes: { d2: 3 },
    });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.tasks.map((t) => t.samples),
      [4, 3],
    );
  });

  it('an all-excluded selection is an error', () => {
    const r = expandPlan(catalog(), { selection: { models: ['m1'], datasets: ['d1'], excludeModels: ['m1'] }, preset });
    assert.ok(!r.ok);
    assert.match(r.errors[0]!, /no models/);
  });
});
