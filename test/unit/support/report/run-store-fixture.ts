import assert from 'node:assert/strict';
import { CategorySchema } from '../../../../common/catalog/category';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { expandPlan } from '../../../../common/run/plan';
import type { RunRequest } from '../../../../common/run/request';
import { appendEvent } from '../../../../remote-agent/store/events';
import type { RunPaths } from '../../../../remote-agent/store/layout';
import { createRun } from '../../../../remote-agent/store/run-store';
import { writeFailure, writeResult } from '../../../../remote-agent/store/task-files';
import { result } from './fixture';

export const MODELS = ['good', 'broken'];
export const DATASETS = ['gsm8k', 'mbpp', 'arc'];

/**
 * A finished run written with the agent's own store code: `good` scored everything; `broken`'s engine never
 * started on gsm8k (failure.json), its mbpp result mostly errored, and arc has no result at all although the job
 * ended COMPLETED.
 */
export function writeRunStore(workdir: string, engineOverride?: RunRequest['engineOverride']): RunPaths {
  const preset = PresetSchema.parse({});
  const cluster = ClusterSchema.parse({ kind: 'local', workdir });
  const catalog = {
    models: Object.fromEntries(MODELS.map((m) => [m, ModelSchema.parse({ hf: `org/${m}`, params: 7 })])),
    datasets: Object.fromEntries(
      DATASETS.map((d) => [d, DatasetSchema.parse({ format: 'gsm8k', path: `${d}.jsonl`, samples: 10 })]),
    ),
    categories: { c: CategorySchema.parse({ models: MODELS, datasets: DATASETS }) },
    presets: { balanced: preset },
    clusters: { local: cluster },
  };
  const planned = expandPlan(catalog, { selection: { category: 'c' }, preset });
  assert.ok(planned.ok);
  const request: RunRequest = {
    selection: { category: 'c' },
    presetId: 'balanced',
    preset,
    clusterId: 'local',
    cluster,
    models: catalog.models,
    datasets: catalog.datasets,
    ...(engineOverride ? { engineOverride } : {}),
  };
  const t0 = '2025-01-02T13:00:00.000Z';
  const t1 = '2025-01-02T14:00:00.000Z';
  const paths = createRun(workdir, (runId) => ({
    runId,
    createdAt: t0,
    request,
    plan: planned.plan,
    provenance: {
      agentVersion: '1.2.3',
      nodeVersion: 'v20.0.0',
      user: 'tester',
      host: 'login',
      workdir,
      agentPath: '/x/agent.js',
      nodePath: 'node',
      datasetRoot: '/data',
      seed: 77,
    },
    jobs: MODELS.map((model, i) => ({
      model,
      jobId: `local-${i + 1}`,
      kind: 'local' as const,
      attempt: 1,
      submittedAt: t0,
      datasets: DATASETS,
      node: `node-${i + 1}`,
      engineVersion: '0.10.1',
      startedAt: t0,
      finalState: 'COMPLETED',
      exitCode: '0',
      endedAt: t1,
    })),
  }));
  for (const [i, model] of MODELS.entries()) {
    appendEvent(paths, { type: 'job_started', model, jobId: `local-${i + 1}`, node: `node-${i + 1}`, time: t0 });
    appendEvent(paths, { type: 'job_finished', model, jobId: `local-${i + 1}`, state: 'COMPLETED', time: t1 });
  }
  const tp = { outputTokensPerS: 0, requestsPerS: 1, outputTokens: 2000, promptTokens: 100, wallS: 4 };
  writeResult(paths, result('good', 'gsm8k', 0.7, 0.1, { throughput: tp }));
  writeResult(paths, result('good', 'mbpp', 0.4, 0.1, { throughput: tp }));
  writeResult(paths, result('good', 'arc', 0.9, 0.05, { throughput: tp }));
  writeFailure(paths, {
    model: 'broken',
    dataset: 'gsm8k',
    reason: 'engine failed to start: CUDA out of memory',
    time: t1,
  });
  writeResult(
    paths,
    result('broken', 'mbpp', 0.1, 0.1, { errors: 9, failure: '9 of 10 samples errored: timeout after 600 s' }),
  );
  return paths;
}
