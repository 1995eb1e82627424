import * as fs from 'fs';
import { DATASET_FILE_FIELDS } from '../../common/run/dataset-files';
import { isHfDatasetPath } from '../../common/catalog/hf-dataset-path';
import { resolveDatasetPath } from '../datasets';
import type { RunRecord } from '../store/run-record';

/**
 * The files of each dataset the job is about to run, checked before its engine starts (a full model load on real
 * GPUs): the reason per dataset whose file is not where the job reads it. An unreadable file counts as missing.
 */
export function missingDatasetFiles(run: RunRecord, datasetIds: string[]): Map<string, string> {
  const missing = new Map<string, string>();
  for (const id of datasetIds) {
    const dataset = run.request.datasets[id];
    if (!dataset) {
      missing.set(id, `dataset "${id}" is not in the run request`);
      continue;
    }
    for (const field of DATASET_FILE_FIELDS) {
      const p = dataset[field];
      // Hub paths of runs submitted before they were fetched at submission are fetched by the loader.
      if (p === undefined || isHfDatasetPath(p)) continue;
      const file = resolveDatasetPath(run.provenance.datasetRoot, p);
      try {
        fs.accessSync(file, fs.constants.R_OK);
        if (!fs.statSync(file).isFile()) throw new Error('not a file');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const what = field === 'path' ? 'dataset file' : field === 'fewShotPath' ? 'few-shot file' : 'answers file';
        missing.set(
          id,
          `${what} ${code === 'ENOENT' || code === undefined ? 'not found' : `not readable (${code})`}: ${file} (checked before starting the engine)`,
        );
        break;
      }
    }
  }
  return missing;
}
