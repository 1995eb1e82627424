import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { RunRequestSchema } from '../../../../common/run/request';
import { planRequest } from '../../../../remote-agent/runs/plan-request';
import { resolveWorkdir } from '../../../../remote-agent/runs/workdir';

describe('work directories of profiles', () => {
  it('expands ~, $VAR and ${VAR}, and resolves relative ones against the base', () => {
    const env = { USER: 'ada', SCRATCH: '/scratch' };
    assert.equal(resolveWorkdir('/scratch/$USER/evalbench', '/ws', env), '/scratch/ada/evalbench');
    assert.equal(resolveWorkdir('${SCRATCH}/x', '/ws', env), '/scratch/x');
    assert.equal(resolveWorkdir('~/evalbench', '/ws', env), path.join(os.homedir(), 'evalbench'));
    assert.equal(resolveWorkdir('.evalbench-runs', '/ws', env), '/ws/.evalbench-runs');
  });
  it('says which variable is missing', () => {
    assert.throws(() => resolveWorkdir('/x/$NOPE/y', '/', {}), /\$NOPE is not set/);
  });
});

describe('the plan of a self-contained request', () => {
  const request = RunRequestSchema.parse({
    selection: { category: 'cat', excludeModels: ['b'] },
    presetId: 'p',
    preset: PresetSchema.parse({}),
    clusterId: 'c',
    cluster: ClusterSchema.parse({ kind: 'local', workdir: '/w' }),
    samples: 3,
    models: { a: ModelSchema.parse({ hf: 'o/a', params: 1 }), b: ModelSchema.parse({ hf: 'o/b', params: 1 }) },
    datasets: {
      x: DatasetSchema.parse({ format: 'gsm8k', path: 'missing.jsonl' }),
      y: DatasetSchema.parse({ format: 'gsm8k', path: 'missing2.jsonl' }),
    },
  });

  it("rebuilds the category from the request's entries and applies its exclusions", () => {
    const r = planRequest(request, { workdir: '/nonexistent-root', datasetRoot: '/nonexistent-root' });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.jobs.map((j) => [j.model, j.datasets]),
      [['a', ['x', 'y']]],
    );
    assert.deepEqual(
      r.plan.tasks.map((t) => t.samples),
      [3, 3],
    );
    assert.deepEqual(r.plan.errors, [
      'dataset "x": file missing.jsonl is missing everywhere; tried /nonexistent-root/missing.jsonl',
      'dataset "y": file missing2.jsonl is missing everywhere; tried /nonexistent-root/missing2.jsonl',
    ]);
  });

  it('reports a selection the request cannot satisfy', () => {
    const r = planRequest(
      { ...request, selection: { models: ['zzz'], datasets: ['x'] } },
      { workdir: '/', datasetRoot: '/' },
    );
    assert.equal(r.ok, false);
  });
});
