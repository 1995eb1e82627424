import type { Catalog } from '../../common/catalog/files';
import type { PlanDataset } from '../../common/run/dataset-files';
import { expandPlan, type PlanResult } from '../../common/run/plan';
import type { RunRequest } from '../../common/run/request';
import { countRecords } from '../datasets/count';
import { locateDatasetFiles } from './dataset-locations';
import { stagedFilePath } from './staged-file';
import { checkpointQuantizations } from './checkpoint-config';
import { missingImageErrors } from './plan-images';

/**
 * The catalog a self-contained request stands for: its resolved entries. A category selection names the category
 * the client resolved into exactly these models and datasets, so the category is rebuilt from them.
 */
export function catalogOfRequest(request: RunRequest): Catalog {
  const categories: Catalog['categories'] = {};
  if (request.selection.category !== undefined) {
    categories[request.selection.category] = {
      models: Object.keys(request.models),
      datasets: Object.keys(request.datasets),
      preset: request.presetId,
    };
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
export function planRequest(
  request: RunRequest,
  place: PlanPlace,
  selfCheckFailures?: Record<string, string>,
): PlanResult & { files: PlanDataset[] } {
  const catalog = catalogOfRequest(request);
  const files = locateDatasetFiles(request, place.workdir, place.datasetRoot);
  const result = expandPlan(catalog, {
    selection: request.selection,
    preset: request.preset,
    cluster: request.cluster,
    samples: request.samples,
    datasetSizes: sizesOf(files, request, place.workdir),
    datasetFiles: files,
    selfCheckFailures,
    hfTokenAvailable:
      place.hfTokenAvailable || process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN ? true : undefined,
    judge: request.judge,
    checkpointQuantization: checkpointQuantizations(request.models),
  });
  const images = result.ok ? missingImageErrors(request, files) : [];
  if (result.ok && images.length)
    return { ok: true, plan: { ...result.plan, errors: [...(result.plan.errors ?? []), ...images] }, files };
  return { ...result, files };
}

function sizesOf(files: PlanDataset[], request: RunRequest, workdir: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const f of files) {
    if (f.field !== 'path' || f.source === 'hub') continue;
    const staged = f.source === 'upload' ? request.datasetFiles?.[f.dataset]?.path : undefined;
    if (staged && f.upload) {
      if (staged.records !== undefined) sizes[f.dataset] = staged.records;
      continue;
    }
    if (!f.present) continue;
    try {
      // An uploaded file is counted where it was put: a dataset with images is read through a view made at submission.
      sizes[f.dataset] = countRecords(staged ? stagedFilePath(workdir, staged) : f.reads);
    } catch {
      // An unreadable file is reported by the loader when the task runs, with its line number.
    }
  }
  return sizes;
}
