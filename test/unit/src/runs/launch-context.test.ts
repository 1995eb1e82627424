// The launch prompts name what is launched; the plan repeats profile, partition, preset, sample limit and engines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCatalog, type Catalog } from '../../../../common/catalog/files';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { buildRunRequest } from '../../../../common/run/build-request';
import { launchTitle } from '../../../../src/runs/launch-selection';
import { launchSettings, planSummary } from '../../../../src/runs/plan-text';

function catalog(): Catalog {
  const c = emptyCatalog();
  c.models['a'] = ModelSchema.parse({ hf: 'org/a', params: 8 });
  c.models['t'] = ModelSchema.parse({ hf: 'org/t', params: 1, backend: 'transformers' });
  c.models['c'] = ModelSchema.parse({ hf: 'org/c', params: 1 });
  for (const d of ['gsm8k', 'mbpp'])
    c.datasets[d] = DatasetSchema.parse({ format: 'gsm8k', path: `data/${d}.jsonl`, samples: 100 });
  c.categories['code-models'] = {
    models: ['a', 't', 'c'],
    datasets: ['gsm8k', 'mbpp'],
    preset: 'fast',
  } as Catalog['categories'][string];
  c.presets['fast'] = PresetSchema.parse({});
  c.clusters['hpc'] = ClusterSchema.parse({
    kind: 'slurm',
    host: 'login1',
    workdir: '/scratch/w',
    partition: 'gpu-a100',
  });
  c.clusters['local'] = ClusterSchema.parse({ kind: 'local', workdir: '.runs', gpusPerNode: 1 });
  return c;
}

describe('launch prompt titles', () => {
  it('name the category with its model and dataset counts', () => {
    assert.equal(
      launchTitle(catalog(), { category: 'code-models' }, 'category code-models'),
      'Launch category code-models (3 models × 2 datasets)',
    );
  });
  it('count a category narrowed to picked entries, and a plain selection', () => {
    assert.equal(
      launchTitle(catalog(), { category: 'code-models', models: ['a'] }, 'category code-models (a)'),
      'Launch category code-models (a) (1 model × 2 datasets)',
    );
    assert.equal(
      launchTitle(catalog(), { models: ['a', 'c'], datasets: ['mbpp'] }, 'a, c × mbpp'),
      'Launch a, c × mbpp (2 models × 1 dataset)',
    );
  });
});

describe('the plan repeats the launch settings at its top', () => {
  it('profile, partition, preset, sample limit and the engine of each model', () => {
    const built = buildRunRequest({
      catalog: catalog(),
      selection: { category: 'code-models' },
      presetId: 'fast',
      clusterId: 'hpc',
      samples: 50,
    });
    assert.ok(built.ok);
    const plan = {
      tasks: [],
      jobs: ['a', 't', 'c'].map((m) => ({
        model: m,
        datasets: ['gsm8k'],
        gpus: 1,
        tensorParallel: 1,
        estimatedGpuHours: 0.1,
      })),
      totalGpus: 3,
      estimatedGpuHours: 0.3,
      warnings: [],
    };
    const lines = planSummary(plan, 'hpc', launchSettings(built.request, 'hpc')).detail.split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      'Profile hpc (slurm over SSH to login1) · partition gpu-a100',
      'Preset fast · at most 50 samples per dataset',
      'Engines: a → vLLM, t → Transformers, c → vLLM',
    ]);
    assert.ok(lines.includes('• t (Transformers): 1 GPU, 1 dataset, ~0.10 GPU-h'));
  });
  it('every sample, the reference engine, and a profile without a partition', () => {
    const built = buildRunRequest({
      catalog: catalog(),
      selection: { models: ['a'], datasets: ['gsm8k'] },
      presetId: 'fast',
      clusterId: 'local',
      engineOverride: { kind: 'reference' },
    });
    assert.ok(built.ok);
    const plan = {
      tasks: [],
      jobs: [{ model: 'a', datasets: ['gsm8k'], gpus: 0, tensorParallel: 1, estimatedGpuHours: 0 }],
      totalGpus: 0,
      estimatedGpuHours: 0,
      warnings: [],
    };
    const lines = planSummary(plan, 'local', launchSettings(built.request, 'local')).detail.split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      "Profile local (local, this machine) · partition (the scheduler's default)",
      'Preset fast · every sample',
      'Engines: a → reference engine',
    ]);
  });
});
