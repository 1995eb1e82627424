import * as fs from 'fs';
import * as path from 'path';
import { isHfDatasetPath, parseHfDatasetPath } from '../../common/catalog/hf-dataset-path';
import type { Dataset } from '../../common/catalog/dataset';
import { DATASET_FILE_FIELDS, type PlanDataset, type StagedFile } from '../../common/run/dataset-files';
import type { DatasetImages } from '../../common/run/dataset-images';
import type { RunRequest } from '../../common/run/request';
import { hubCacheRoot, splitCacheDir } from '../datasets/hub/cache';
import { newestEntry } from '../datasets/hub/cache';
import { imageViewDataPath } from './image-views';
import { stagedFilePath, stagedFilePresent } from './staged-file';
import { resolveWorkdir } from './workdir';

/**
 * Where the job will read each file of each dataset of the request (path, fewShotPath, answersPath), in order:
 * an `hf:` path from the work directory's Hub cache; the dataset's `clusterPath`; the uploaded copy the request
 * names by hash (read through its view when it came with images: image-views.ts); else the path itself (absolute, or relative to `datasetRoot`), which must then exist.
 */
export function locateDatasetFiles(
  request: Pick<RunRequest, 'datasets' | 'datasetFiles' | 'datasetImages' | 'workspaceRoot'>,
  workdir: string,
  datasetRoot: string,
): PlanDataset[] {
  const lines: PlanDataset[] = [];
  for (const [id, dataset] of Object.entries(request.datasets)) {
    for (const field of DATASET_FILE_FIELDS) {
      const declared = dataset[field];
      if (declared === undefined) continue;
      lines.push(locateOne(id, dataset, field, declared, request, workdir, datasetRoot));
    }
  }
  return lines;
}

function locateOne(
  id: string,
  dataset: Dataset,
  field: PlanDataset['field'],
  declared: string,
  request: Pick<RunRequest, 'datasetFiles' | 'datasetImages' | 'workspaceRoot'>,
  workdir: string,
  datasetRoot: string,
): PlanDataset {
  const base = { dataset: id, field, declared };
  if (isHfDatasetPath(declared)) {
    const parsed = parseHfDatasetPath(declared);
    const split = parsed.ok ? (parsed.value.split ?? dataset.split) : undefined;
    const dir =
      parsed.ok && split ? splitCacheDir(hubCacheRoot(workdir), { ...parsed.value, split }) : hubCacheRoot(workdir);
    return { ...base, source: 'hub', reads: dir, present: newestEntry(dir) !== undefined };
  }
  if (field === 'path' && dataset.clusterPath !== undefined) {
    let reads: string;
    try {
      reads = resolveWorkdir(dataset.clusterPath, workdir);
    } catch (err) {
      return {
        ...base,
        source: 'cluster',
        reads: dataset.clusterPath,
        present: false,
        tried: [`${dataset.clusterPath} (${(err as Error).message})`],
      };
    }
    const present = isFile(reads);
    return { ...base, source: 'cluster', reads, present, ...(present ? {} : { tried: [`${reads} (clusterPath)`] }) };
  }
  const staged = request.datasetFiles?.[id]?.[field];
  const images = field === 'path' ? request.datasetImages?.[id] : undefined;
  if (staged && images) {
    return {
      ...base,
      source: 'upload',
      reads: imageViewDataPath(workdir, staged, images),
      present: true,
      upload: !stagedFilePresent(workdir, staged),
      bytes: staged.size,
      images: imagesToSend(workdir, images),
    };
  }
  if (staged) {
    const there = stagedFilePresent(workdir, staged);
    return {
      ...base,
      source: 'upload',
      reads: stagedFilePath(workdir, staged),
      present: true,
      upload: !there,
      bytes: staged.size,
    };
  }
  const reads = path.isAbsolute(declared) ? declared : path.join(datasetRoot, declared);
  const present = isFile(reads);
  const tried = [
    ...(request.workspaceRoot && !path.isAbsolute(declared)
      ? [`${path.join(request.workspaceRoot, declared)} (workspace)`]
      : []),
    reads,
  ];
  return { ...base, source: 'cluster', reads, present, ...(present ? {} : { tried }) };
}

/** The images of a dataset, each staged file once, and those not yet in the work directory. */
function imagesToSend(workdir: string, images: DatasetImages): NonNullable<PlanDataset['images']> {
  const unique = new Map<string, StagedFile>();
  for (const f of Object.values(images.images)) unique.set(`${f.sha256}/${f.name}`, f);
  const out = { count: unique.size, bytes: 0, toUpload: 0, toUploadBytes: 0 };
  for (const f of unique.values()) {
    out.bytes += f.size;
    if (stagedFilePresent(workdir, f)) continue;
    out.toUpload++;
    out.toUploadBytes += f.size;
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The request as the jobs read it: each located file's path replaced by the absolute path the job reads (an `hf:`
 * path by the cached rows `hubFiles` names, fetched at submission). Downstream (jobs, rescoring, reruns) then reads
 * plain files and never needs the workspace, the upload table or the network.
 */
export function withResolvedDatasetPaths(
  request: RunRequest,
  lines: PlanDataset[],
  hubFiles: Map<string, string> = new Map(),
): RunRequest {
  const datasets: RunRequest['datasets'] = {};
  for (const [id, dataset] of Object.entries(request.datasets)) {
    const out: Dataset = { ...dataset };
    for (const line of lines.filter((l) => l.dataset === id)) {
      if (line.source === 'hub') {
        const file = hubFiles.get(`${id}\0${line.field}`);
        if (file) out[line.field] = file;
      } else {
        out[line.field] = line.reads;
      }
    }
    datasets[id] = out;
  }
  return { ...request, datasets };
}
