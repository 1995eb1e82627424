import { resolveColumn } from '../../common/catalog/adapters';
import { isClusterPath } from '../../common/catalog/model-source';
import type { ModelSettings } from '../../common/run/rerun-override';
import { ENGINE_IMPLEMENTATIONS } from '../engines/implementations';
import type { RunRecord } from '../store/run-record';

/**
 * The run as a model's next job sees it: the request's preset, model entry and planned job with what the model's
 * reruns changed (run.json `modelSettings`) applied. Other models' entries are left as they are.
 */
export function runForModel(
  run: RunRecord,
  model: string,
  settings: ModelSettings | undefined = run.modelSettings?.[model],
): RunRecord {
  if (!settings || Object.keys(settings).length === 0) return run;
  let preset = settings.preset?.preset ?? run.request.preset;
  if (settings.maxModelLen !== undefined)
    preset = { ...preset, engine: { ...preset.engine, maxModelLen: settings.maxModelLen } };
  const column = resolveColumn(run.request.models, model);
  let models = run.request.models;
  let planModels = run.plan.models;
  if (settings.checkpoint && column) {
    const { forceQuantization: _dropped, revision: _old, ...base } = column.model;
    const { hf, quantization, revision } = settings.checkpoint;
    models = {
      ...models,
      [column.baseId]: { ...base, hf, quantization, ...(revision !== undefined ? { revision } : {}) },
    };
    // The plan looked for the original weights only: the job may not assume the new checkpoint is in the cache.
    planModels = planModels?.map((m) => (m.model === model ? { ...m, offline: false } : m));
  }
  const jobs = run.plan.jobs.map((j) => {
    if (j.model !== model || settings.tensorParallel === undefined) return j;
    const replicas = j.replicas ?? 1;
    // A judge may hold the job's GPUs already (plan.ts withJudges): the job asks for the larger of the two.
    return {
      ...j,
      tensorParallel: settings.tensorParallel,
      gpus: Math.max(j.gpus, settings.tensorParallel * replicas),
    };
  });
  return {
    ...run,
    request: { ...run.request, ...(settings.preset ? { presetId: settings.preset.presetId } : {}), preset, models },
    plan: { ...run.plan, jobs, ...(planModels ? { models: planModels } : {}) },
  };
}

/** The engine flags a model's job of `run` starts with (vLLM's or the built-in Transformers server's); none for other engines. */
export function engineFlagsFor(run: RunRecord, model: string): string[] {
  const column = resolveColumn(run.request.models, model);
  const job = run.plan.jobs.find((j) => j.model === model);
  if (!column || !job || run.request.engineOverride) return [];
  const m = column.model;
  const servedModel = m.servedName ?? (isClusterPath(m.hf) ? column.baseId : m.hf);
  const input = {
    model: m,
    preset: run.request.preset,
    tensorParallel: job.tensorParallel,
    servedModel,
    replicas: job.replicas ?? 1,
    ...(column.adapter ? { adapter: { name: column.adapter.name, path: column.adapter.source } } : {}),
  };
  return ENGINE_IMPLEMENTATIONS[m.backend].args?.(input) ?? [];
}
