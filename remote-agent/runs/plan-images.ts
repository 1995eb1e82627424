import * as fs from 'fs';
import * as path from 'path';
import { datasetNeedsVision } from '../../common/catalog/dataset';
import type { PlanDataset } from '../../common/run/dataset-files';
import { imageProblemsError } from '../../common/run/dataset-images';
import type { RunRequest } from '../../common/run/request';
import { imagesOf } from '../datasets/adapters/multimodal';
import { imageFileReference } from '../datasets/images/file-reference';
import { readRecords } from '../datasets/read-records';

const MAX_LISTED = 5;

/**
 * Blocking plan errors for multimodal datasets, naming the dataset, the record's line and the path, before any job
 * starts an engine: for a data file uploaded with its images, the records the client found it could not send
 * (missing in the workspace, absolute, outside it); for one read in place, each record whose image file is not
 * beside the data file (or at its absolute path).
 */
export function missingImageErrors(
  request: Pick<RunRequest, 'datasets' | 'datasetImages'>,
  files: PlanDataset[],
): string[] {
  const errors: string[] = [];
  for (const f of files) {
    const dataset = request.datasets[f.dataset];
    if (!dataset || !datasetNeedsVision(dataset) || f.field !== 'path' || !f.present || f.source === 'hub') continue;
    const staged = f.source === 'upload' ? request.datasetImages?.[f.dataset] : undefined;
    if (staged) {
      const error = imageProblemsError(f.dataset, f.declared, staged);
      if (error) errors.push(error);
      continue;
    }
    let records;
    try {
      records = readRecords(f.reads).records;
    } catch {
      continue; // an unreadable file is the loader's to report, with its line
    }
    const missing: string[] = [];
    for (const r of records) {
      for (const ref of imagesOf(r.value)) {
        const file = imageFileReference(ref);
        if (file === undefined) continue;
        const at = path.isAbsolute(file) ? file : path.join(path.dirname(f.reads), file);
        if (!fs.existsSync(at)) missing.push(`line ${r.line}: ${file} (${at})`);
      }
    }
    if (missing.length) {
      const more = missing.length > MAX_LISTED ? `, and ${missing.length - MAX_LISTED} more` : '';
      errors.push(
        `dataset "${f.dataset}": ${missing.length} image file${missing.length === 1 ? '' : 's'} missing: ${missing.slice(0, MAX_LISTED).join('; ')}${more}`,
      );
    }
  }
  return errors;
}
