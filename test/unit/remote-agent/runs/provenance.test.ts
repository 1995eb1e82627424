import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CategorySchema } from '../../../../common/catalog/category';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { expandPlan } from '../../../../common/run/plan';
import { RunStatusSchema } from '../../../../common/run/records';
import type { RunRequest } from '../../../../common/run/request';
import { runStatus } from '../../../../remote-agent/runs/status';
import { createRun } from '../../../../remote-agent/store/run-store';

const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-provenance-'));
after(() => fs.rmSync(workdir, { recursive: true, force: true }));

describe('runs/get provenance', () => {
  it('comes from run.json: versions, user@host, seed, preset, and per model its job ids, node, engine and times', async () => {
    const preset = PresetSchema.parse({});
    const cluster = ClusterSchema.parse({ kind: 'local', workdir });
    const models = {
      a: ModelSchema.parse({ hf: 'org/a', params: 7 }),
      b: ModelSchema.parse({ hf: 'org/b', params: 7 }),
    };
    const datasets = { d: DatasetSchema.parse({ format: 'gsm8k', path: 'd.jsonl', samples: 3 }) };
    const catalog = {
      models,
      datasets,
      categories: { c: CategorySchema.parse({ models: ['a', 'b'], datasets: ['d'] }) },
      presets: { fast: preset },
      clusters: { local: cluster },
    };
    const planned = expandPlan(catalog, { selection: { category: 'c' }, preset });
    assert.ok(planned.ok);
    const request: RunRequest = {
      selection: { category: 'c' },
      presetId: 'fast',
      preset,
      clusterId: 'local',
      cluster,
      models,
      datasets,
    };
    const [t0, t1, t2, t3] = [
      '2025-03-01T10:00:00.000Z',
      '2025-03-01T10:01:00.000Z',
      '2025-03-01T10:02:00.000Z',
      '2025-03-01T10:30:00.000Z',
    ];
    const ended = { finalState: 'COMPLETED', exitCode: '0:0' };
    const paths = createRun(workdir, (runId) => ({
      runId,
      createdAt: t0,
      request,
      plan: planned.plan,
      provenance: {
        agentVersion: '0.4.2',
        nodeVersion: 'v22.1.0',
        user: 'ada',
        host: 'login-1',
        workdir,
        agentPath: '/w/agent/0.4.2.js',
        nodePath: '/usr/bin/node',
        datasetRoot: '/data',
        seed: 1234,
      },
      jobs: [
        {
          model: 'a',
          jobId: '101',
          kind: 'slurm' as const,
          attempt: 1,
          submittedAt: t0,
          datasets: ['d'],
          node: 'gpu-1',
          startedAt: t1,
          finalState: 'CANCELLED',
          endedAt: t1,
        },
        {
          model: 'a',
          jobId: '107',
          kind: 'slurm' as const,
          attempt: 2,
          submittedAt: t1,
          datasets: ['d'],
          node: 'gpu-3',
          engineVersion: '0.10.1',
          startedAt: t2,
          ...ended,
          endedAt: t3,
        },
        {
          model: 'b',
          jobId: '102',
          kind: 'slurm' as const,
          attempt: 1,
          submittedAt: t0,
          datasets: ['d'],
          ...ended,
          endedAt: t1,
        },
      ],
    }));

    const status = RunStatusSchema.parse(await runStatus(paths));
    assert.deepEqual(status.provenance, {
      'agent version': '0.4.2',
      'node version': 'v22.1.0',
      user: 'ada',
      host: 'login-1',
      'work directory': workdir,
      'agent file': '/w/agent/0.4.2.js',
      'node binary': '/usr/bin/node',
      'dataset root': '/data',
      seed: 1234,
      preset: 'fast',
      sampling:
        "temperature 0, top_p 1, max_tokens 1024 (or the dataset's), seed 1234; vLLM --generation-config vllm: nothing else from the model's generation_config.json",
      created: t0,
      'a: job ids': '101 (slurm, attempt 1), 107 (slurm, attempt 2)',
      'a: node': 'gpu-3',
      'a: engine version': '0.10.1',
      'a: submitted': t1,
      'a: started': t2,
      'a: ended': `${t3} (COMPLETED 0:0)`,
      'b: job ids': '102 (slurm, attempt 1)',
      'b: submitted': t0,
      'b: ended': `${t1} (COMPLETED 0:0)`,
    });
  });
});
