import type { Catalog } from '../../src/common/catalog/files';
import { expandPlan, type PlanResult } from '../../src/common/run/plan';
import type { RunRequest } from '../../src/common/run/request';
import { inspectDatasets } from '../workspace/selection';
import { checkpointQuantizations } from './checkpoint-config';

/**
 * The catalog a self-contained request stands for: its resolved entries. A category selection names the category
 * the client resolved into exactly these models and datasets, so the category is rebuilt from them.
 */
export function catalogOfRequest(request: RunRequest): Catalog {
  const categories: Catalog['categories'] = {};
  if (request.selection.category !== undefined) {
    categories[request.selection.category] = { models: Object.keys(request.models), datasets: Object.keys(request.datasets), preset: request.presetId };
  }
  return {
    // Judge models are part of the catalog (for sizing the jobs that start them), not of the category's models.
    models: { ...request.judges, ...request.models },
    datasets: request.datasets,
    categories,
    presets: { [request.presetId]: request.preset },
    clusters: { [request.clusterId]: request.cluster },
  };
}

/** The plan of a request on this machine: dataset sizes are counted from the files where the jobs will read them. */
export function planRequest(request: RunRequest, datasetRoot: string, selfCheckFailures?: Record<string, string>): PlanResult {
  const catalog = catalogOfRequest(request);
  const { sizes, missing } = inspectDatasets(catalog, Object.keys(catalog.datasets), datasetRoot);
  return expandPlan(catalog, {
    selection: request.selection,
    preset: request.preset,
    cluster: request.cluster,
    samples: request.samples,
    datasetSizes: sizes,
    missingDatasets: missing,
    selfCheckFailures,
    hfTokenAvailable: process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN ? true : undefined,
    judge: request.judge,
    checkpointQuantization: checkpointQuantizations(request.models),
  });
}
