import type { PlanDataset } from '../../common/run/dataset-files';
import type { RunRequest } from '../../common/run/request';
import { fetchHubDataset, hubCacheRoot } from '../datasets/hub';
import { PlanError } from './plan-error';

/**
 * Fetches each `hf:` dataset file of a run into the work directory's Hub cache, here on the login node, before any
 * job is submitted: compute nodes often have no internet, and a Hub problem (gated set, missing split) must stop the
 * submission rather than fail every job. Returns the cached rows file per `<dataset>\0<field>`.
 */
export async function fetchHubFiles(
  request: RunRequest,
  files: PlanDataset[],
  workdir: string,
  log?: (message: string) => void,
  token?: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const problems: string[] = [];
  for (const f of files.filter((l) => l.source === 'hub')) {
    const dataset = request.datasets[f.dataset]!;
    try {
      const got = await fetchHubDataset(f.declared, {
        cacheDir: hubCacheRoot(workdir),
        split: dataset.split,
        log,
        ...(token ? { token } : {}),
      });
      out.set(`${f.dataset}\0${f.field}`, got.file);
    } catch (err) {
      problems.push(`dataset "${f.dataset}": ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new PlanError(problems);
  return out;
}
