import { resolveColumn } from '../catalog/adapters';
import type { Catalog } from '../catalog/files';
import { expandPlan } from './plan';
import { judgeModelsFor } from './judge';
import { RunRequestSchema, type EngineOverride, type JudgeSpec, type RunRequest, type Selection } from './request';

export interface BuildRequestInput {
  catalog: Catalog;
  selection: Selection;
  presetId: string;
  clusterId: string;
  samples?: number;
  name?: string;
  /** Where relative dataset paths resolve on the agent's machine; absent: the cluster work directory. */
  datasetRoot?: string;
  engineOverride?: EngineOverride;
  /** Grades every judged dataset instead of the dataset's own judge. */
  judge?: JudgeSpec;
  /** A profile not in the catalog (the built-in "this machine" target). */
  clusterOverride?: Catalog['clusters'][string];
}

export type BuildRequestResult = { ok: true; request: RunRequest } | { ok: false; errors: string[] };

/**
 * Pure: the self-contained request for a selection of the catalog. Only the models and datasets the selection
 * resolves to travel with it.
 */
export function buildRunRequest(input: BuildRequestInput): BuildRequestResult {
  const { catalog, selection } = input;
  const preset = catalog.presets[input.presetId];
  const cluster = input.clusterOverride ?? catalog.clusters[input.clusterId];
  const errors: string[] = [];
  if (!preset)
    errors.push(`unknown preset "${input.presetId}" (known: ${Object.keys(catalog.presets).join(', ') || 'none'})`);
  if (!cluster)
    errors.push(
      `unknown cluster profile "${input.clusterId}" (known: ${Object.keys(catalog.clusters).join(', ') || 'none'})`,
    );
  if (!preset || !cluster) return { ok: false, errors };
  const expanded = expandPlan(catalog, { selection, preset, cluster, samples: input.samples, judge: input.judge });
  if (!expanded.ok) return expanded;
  // An adapter column travels as its base model's entry (the agent expands the columns again).
  const models = Object.fromEntries(
    expanded.plan.jobs.map((j) => resolveColumn(catalog.models, j.model)!).map((c) => [c.baseId, c.model]),
  );
  const datasets = Object.fromEntries(
    [...new Set(expanded.plan.tasks.map((t) => t.dataset))].map((d) => [d, catalog.datasets[d]!]),
  );
  const judges = judgeModelsFor(catalog.models, Object.values(datasets), input.judge);
  const parsed = RunRequestSchema.safeParse({
    ...(input.name ? { name: input.name } : {}),
    selection,
    ...(selection.category ? { categoryId: selection.category } : {}),
    presetId: input.presetId,
    preset,
    clusterId: input.clusterId,
    cluster,
    ...(input.samples !== undefined ? { samples: input.samples } : {}),
    models,
    datasets,
    ...(input.datasetRoot ? { datasetRoot: input.datasetRoot } : {}),
    ...(input.engineOverride ? { engineOverride: input.engineOverride } : {}),
    ...(input.judge !== undefined ? { judge: input.judge } : {}),
    ...(Object.keys(judges).length ? { judges } : {}),
  });
  if (!parsed.success)
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`) };
  return { ok: true, request: parsed.data };
}
