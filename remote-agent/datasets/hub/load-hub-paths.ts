import * as os from 'os';
import * as path from 'path';
import { isHfDatasetPath } from '../../../common/catalog/hf-dataset-path';
import type { Dataset } from '../../../common/catalog/dataset';
import { DatasetError } from '../errors';
import type { LoadOptions } from '../types';
import {
  fetchHubDataset,
  HubAccessError,
  HubDatasetError,
  HubHttpError,
  HubSplitError,
  HubUnreachableError,
} from './index';

const HUB_ERRORS = [HubAccessError, HubDatasetError, HubHttpError, HubSplitError, HubUnreachableError];

/** The default cache when the caller names none (tools run outside a work directory). */
export function defaultHubCacheDir(): string {
  return path.join(os.homedir(), '.cache', 'evalbench', 'datasets');
}

/**
 * The dataset with each `hf:` file (path, fewShotPath, answersPath) fetched into the cache and replaced by the local
 * JSONL of its rows. A Hub failure becomes a DatasetError: the task fails with the Hub's reason as its root cause.
 */
export async function withHubFilesLocal(
  dataset: Dataset,
  options: Pick<LoadOptions, 'cacheDir' | 'log'>,
): Promise<Dataset> {
  const out: Dataset = { ...dataset };
  for (const key of ['path', 'fewShotPath', 'answersPath'] as const) {
    const p = dataset[key];
    if (p === undefined || !isHfDatasetPath(p)) continue;
    try {
      const got = await fetchHubDataset(p, {
        cacheDir: options.cacheDir ?? defaultHubCacheDir(),
        split: dataset.split,
        revision: dataset.revision,
        log: options.log,
      });
      out[key] = got.file;
    } catch (err) {
      if (HUB_ERRORS.some((E) => err instanceof E)) throw new DatasetError((err as Error).message);
      throw err;
    }
  }
  return out;
}
