import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCatalog, type Catalog } from '../../../../common/catalog/files';
import { ModelSchema } from '../../../../common/catalog/model';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { PresetSchema } from '../../../../common/catalog/preset';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { buildRunRequest } from '../../../../common/run/build-request';
import { defaultRunName, launchScope, pickedEntries } from '../../../../src/runs/launch-selection';
import { planSummary } from '../../../../src/runs/plan-text';

function catalog(): Catalog {
  const c = emptyCatalog();
  c.models['a'] = ModelSchema.parse({ hf: 'org/a', params: 8 });
  c.models['b'] = ModelSchema.parse({ hf: 'org/b', params: 70, gated: true });
  c.models['c'] = ModelSchema.parse({ hf: 'org/c', params: 1 });
  for (const d of ['gsm8k', 'mbpp', 'arc'])
    c.datasets[d] = DatasetSchema.parse({
      format: d === 'mbpp' ? 'mbpp' : 'gsm8k',
      path: `data/${d}.jsonl`,
      samples: 100,
    });
  c.categories['math'] = { models: ['a', 'b'], datasets: ['gsm8k'], preset: 'fast' } as Catalog['categories'][string];
  c.categories['code'] = { models: ['a'], datasets: ['mbpp'] } as Catalog['categories'][string];
  c.presets['fast'] = PresetSchema.parse({});
  c.clusters['local'] = ClusterSchema.parse({ kind: 'local', workdir: '.runs', gpusPerNode: 1 });
  return c;
}

describe('launch scope', () => {
  const c = catalog();
  it('launches a category with its preset as the default', () => {
    assert.deepEqual(launchScope(c, [{ kind: 'categories', id: 'math' }]), {
      kind: 'ready',
      selection: { category: 'math' },
      label: 'category math',
      presetHint: 'fast',
    });
  });

  it('crosses a multi-selection of models and datasets', () => {
    const s = launchScope(c, [
      { kind: 'models', id: 'a' },
      { kind: 'models', id: 'c' },
      { kind: 'datasets', id: 'arc' },
      { kind: 'models', id: 'a' },
    ]);
    assert.deepEqual(s, { kind: 'ready', selection: { models: ['a', 'c'], datasets: ['arc'] }, label: 'a, c × arc' });
  });

  it('asks for datasets of a lone model, suggesting those of its categories', () => {
    const s = launchScope(c, [{ kind: 'models', id: 'a' }]);
    assert.equal(s.kind, 'pick-datasets');
    assert.deepEqual(s.kind === 'pick-datasets' && s.suggested, ['gsm8k', 'mbpp']);
  });

  it('asks for models of a lone dataset', () => {
    const s = launchScope(c, [{ kind: 'datasets', id: 'gsm8k' }]);
    assert.deepEqual(s.kind === 'pick-models' && s.suggested, ['a', 'b']);
  });

  it('refuses invalid entries, two categories, and presets', () => {
    assert.match(
      (launchScope(c, [{ kind: 'models', id: 'a', invalid: true }]) as { message: string }).message,
      /fix a first/,
    );
    assert.match(
      (
        launchScope(c, [
          { kind: 'categories', id: 'math' },
          { kind: 'categories', id: 'code' },
        ]) as { message: string }
      ).message,
      /one category at a time/,
    );
    assert.equal(launchScope(c, [{ kind: 'presets', id: 'fast' }]).kind, 'error');
  });

  it('names a run after what it launched and when', () => {
    assert.equal(defaultRunName('category math', new Date(2025, 5, 1, 14, 5)), 'category math 2025-06-01 14:05');
  });
});

describe('run request and plan confirmation', () => {
  it('carries only the selected entries and the resolved preset and cluster', () => {
    const r = buildRunRequest({
      catalog: catalog(),
      selection: { category: 'math' },
      presetId: 'fast',
      clusterId: 'local',
      samples: 5,
      name: 'x',
      datasetRoot: '/ws',
      engineOverride: { kind: 'reference' },
    });
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.request.models), ['a', 'b']);
    assert.deepEqual(Object.keys(r.request.datasets), ['gsm8k']);
    assert.equal(r.request.categoryId, 'math');
    assert.equal(r.request.cluster.kind, 'local');
    assert.equal(r.request.datasetRoot, '/ws');
    assert.deepEqual(r.request.engineOverride, { kind: 'reference' });
  });

  it('names what is unknown', () => {
    const r = buildRunRequest({
      catalog: catalog(),
      selection: { models: ['zz'], datasets: ['gsm8k'] },
      presetId: 'nope',
      clusterId: 'local',
    });
    assert.deepEqual(r, { ok: false, errors: ['unknown preset "nope" (known: fast)'] });
    const r2 = buildRunRequest({
      catalog: catalog(),
      selection: { models: ['zz'], datasets: ['gsm8k'] },
      presetId: 'fast',
      clusterId: 'local',
    });
    assert.equal(r2.ok, false);
    assert.match((r2 as { errors: string[] }).errors[0]!, /unknown model "zz"/);
  });

  it('summarises the plan with GPUs, GPU-hours and every warning', () => {
    const summary = planSummary(
      {
        tasks: [
          { model: 'a', dataset: 'gsm8k', samples: 100 },
          { model: 'b', dataset: 'gsm8k', samples: 100 },
        ],
        jobs: [
          { model: 'a', datasets: ['gsm8k'], gpus: 1, tensorParallel: 1, estimatedGpuHours: 0.12 },
          { model: 'b', datasets: ['gsm8k'], gpus: 2, tensorParallel: 2, estimatedGpuHours: 0.6 },
        ],
        totalGpus: 3,
        estimatedGpuHours: 0.72,
        warnings: [
          {
            code: 'gated_model',
            model: 'b',
            message: 'model "b" (org/b) is gated: the job needs a Hugging Face token with access',
          },
          { code: 'model_too_large', model: 'b', message: "model too large for the preset's GPUs" },
        ],
      },
      'local',
    );
    assert.equal(summary.message, 'Submit 2 jobs (2 tasks) to local?');
    const lines = summary.detail.split('\n');
    assert.equal(lines[0], '3 GPUs in all · about 0.72 GPU-hours · 200 samples');
    assert.ok(lines.includes('• b: 2 GPUs (TP 2), 1 dataset, ~0.60 GPU-h'));
    assert.ok(lines.includes('⚠ model "b" (org/b) is gated: the job needs a Hugging Face token with access'));
    assert.ok(lines.includes("⚠ b: model too large for the preset's GPUs"));
  });
});

describe('entries a context-menu launch acts on', () => {
  const entry = (kind: string, id: string) => ({
    type: 'entry',
    kind,
    id,
    invalid: false,
    fileUri: 'file:///w/.evalbench/x.jsonc',
  });
  it('takes the whole multi-selection when the clicked entry is part of it', () => {
    const a = entry('models', 'a');
    const d = entry('datasets', 'd');
    assert.deepEqual(
      pickedEntries(a, [a, d]).map((e) => e.id),
      ['a', 'd'],
    );
  });

  it('takes the clicked entry alone when it is outside the selection, and drops group rows', () => {
    const c = entry('categories', 'math');
    const group = { type: 'group', kind: 'datasets', label: 'Datasets' };
    assert.deepEqual(
      pickedEntries(c, [group]).map((e) => e.id),
      ['math'],
    );
    assert.deepEqual(pickedEntries(group, [group]), []);
    assert.deepEqual(pickedEntries(undefined, undefined), []);
  });
});
