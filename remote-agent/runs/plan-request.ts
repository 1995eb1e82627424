import type { Catalog } from '../../src/common/catalog/files';
import { needsUpload, type PlanDataset } from '../../src/common/run/dataset-files';
import { expandPlan, type PlanResult } from '../../src/common/run/plan';
import type { RunRequest } from '../../src/common/run/request';
import { countRecords } from '../datasets/count';
import { locateDatasetFiles } from './dataset-locations';
import { checkpointQuantizations } from './checkpoint-config';
import { missingImageErrors } from './plan-images';

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

export interface PlanPlace {
  /** The work directory: uploaded files and the Hub cache are under it. */
  workdir: string;
  /** What relative dataset paths resolve against (the request's datasetRoot, else the work directory). */
  datasetRoot: string;
  /** The client holds a Hugging Face token (else the agent's environment says). */
  hfTokenAvailable?: boolean;
}

/**
 * The plan of a request on this machine: each dataset file located where the job will read it (a file missing
 * everywhere is a blocking error), sizes counted from the files there (or the client's count of a file to upload).
 */
export function planRequest(request: RunRequest, place: PlanPlace, selfCheckFailures?: Record<string, string>): PlanResult & { files: PlanDataset[] } {
  const catalog = catalogOfRequest(request);
  const files = locateDatasetFiles(request, place.workdir, place.datasetRoot);
  const result = expandPlan(catalog, {
    selection: request.selection,
    preset: request.preset,
    cluster: request.cluster,
    samples: request.samples,
    datasetSizes: sizesOf(files, request),
    datasetFiles: files,
    selfCheckFailures,
    hfTokenAvailable: place.hfTokenAvailable || process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN ? true : undefined,
    judge: request.judge,
    checkpointQuantization: checkpointQuantizations(request.models),
  });
  const images = result.ok ? missingImageErrors(request, files) : [];
  if (result.ok && images.length) return { ok: true, plan: { ...result.plan, errors: [...(result.plan.errors ?? []), ...images] }, files };
  return { ...result, files };
}

function sizesOf(files: PlanDataset[], request: RunRequest): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const f of files) {
    if (f.field !== 'path' || f.source === 'hub') continue;
    const staged = request.datasetFiles?.[f.dataset]?.path;
    if (needsUpload(f) && staged?.records !== undefined) sizes[f.dataset] = staged.records;
    if (needsUpload(f)) continue;
    if (!f.present) continue;
    try {
      sizes[f.dataset] = countRecords(f.reads);
    } catch {
      // An unreadable file is reported by the loader when the task runs, with its line number.
    }
  }
  return sizes;
}
