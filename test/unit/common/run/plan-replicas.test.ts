import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { emptyCatalog, type Catalog } from '../../../../common/catalog/files';
import { ModelSchema } from '../../../../common/catalog/model';
import { effectiveConcurrency, PresetSchema } from '../../../../common/catalog/preset';
import { expandPlan } from '../../../../common/run/plan';
import { renderJobScript } from '../../../../remote-agent/slurm/render';

function catalog(models: Record<string, object>, samples = 1000): Catalog {
  const c = emptyCatalog();
  for (const [id, m] of Object.entries(models)) c.models[id] = ModelSchema.parse(m);
  c.datasets['d'] = DatasetSchema.parse({ format: 'gsm8k', path: 'd.jsonl', samples });
  return c;
}

describe('plan with data-parallel replicas', () => {
  it("gives a job tensorParallel × replicas GPUs, the model's replicas winning over the preset's, and asks sbatch for them", () => {
    const c = catalog({
      small: { hf: 'org/small', params: 8 },
      big: { hf: 'org/big', params: 70, replicas: 2 },
      api: { hf: 'org/api', backend: 'endpoint', url: 'http://127.0.0.1:1/v1' },
    });
    const preset = PresetSchema.parse({ engine: { replicas: 4 } });
    const r = expandPlan(c, {
      selection: { models: ['small', 'big', 'api'], datasets: ['d'] },
      preset,
      cluster: { gpusPerNode: 8, gpuMemoryGb: 80 },
    });
    assert.ok(r.ok);
    const job = (id: string) => r.plan.jobs.find((j) => j.model === id)!;
    assert.deepEqual([job('small').tensorParallel, job('small').replicas, job('small').gpus], [1, 4, 4]);
    assert.deepEqual([job('big').tensorParallel, job('big').replicas, job('big').gpus], [4, 2, 8]);
    assert.deepEqual([job('api').gpus, job('api').replicas], [0, undefined]);
    assert.equal(r.plan.totalGpus, 12);
    const script = renderJobScript({
      cluster: ClusterSchema.parse({ kind: 'slurm', workdir: '/w', gpuType: 'h100' }),
      modelId: 'big',
      job: job('big'),
      runDir: '/w/runs/r',
      agentPath: '/w/agent.js',
      nodePath: 'node',
    });
    assert.match(script, /^#SBATCH --gres=gpu:h100:8$/m);
  });

  it('spends about the same GPU-hours on a long task with 4 replicas as with 1 (the work is shared; each replica loads), and warns when they overflow a node', () => {
    const c = catalog(
      {
        one: { hf: 'org/one', params: 8 },
        four: { hf: 'org/four', params: 8, replicas: 4 },
        wide: { hf: 'org/wide', params: 70, replicas: 4 },
      },
      200_000,
    );
    const r = expandPlan(c, {
      selection: { models: ['one', 'four', 'wide'], datasets: ['d'] },
      preset: PresetSchema.parse({}),
      cluster: { gpusPerNode: 8, gpuMemoryGb: 80 },
    });
    assert.ok(r.ok);
    const hours = Object.fromEntries(r.plan.jobs.map((j) => [j.model, j.estimatedGpuHours]));
    assert.ok(
      hours.four! > hours.one! && hours.four! < hours.one! * 1.2,
      `4 replicas: ${hours.four} GPU-h vs 1: ${hours.one}`,
    );
    const w = r.plan.warnings.find((x) => x.model === 'wide');
    assert.equal(w?.code, 'model_too_large');
    assert.match(w!.message, /4 replicas × 4 GPUs = 16 GPUs but a node has 8/);
  });

  it('fills every replica: default concurrency is maxNumSeqs per replica', () => {
    const preset = PresetSchema.parse({ engine: { maxNumSeqs: 32 } });
    assert.equal(effectiveConcurrency(preset, 4), 128);
    assert.equal(effectiveConcurrency(PresetSchema.parse({ generation: { concurrency: 10 } }), 4), 10);
  });

  it('refuses replicas that are not a positive integer, at their place', () => {
    const m = ModelSchema.safeParse({ hf: 'org/m', replicas: 0 });
    assert.equal(m.success, false);
    assert.deepEqual(m.error!.issues[0]!.path, ['replicas']);
    const p = PresetSchema.safeParse({ engine: { replicas: 1.5 } });
    assert.equal(p.success, false);
    assert.deepEqual(p.error!.issues[0]!.path, ['engine', 'replicas']);
  });
});
