import * as fs from 'fs';
import type { Dataset } from '../../common/catalog/dataset';
import { nothingChecked, selfCheckDataset } from '../scoring/selfcheck';
import { resolveDataPath } from '../workspace/selection';
import { errorMessage } from '../../common/error-message';

/** References checked per dataset before a plan: enough to catch a broken adapter or scorer in seconds. */
const SELF_CHECK_LIMIT = 200;

const cache = new Map<string, string | null>();

/**
 * Self-checks each dataset whose file is here (its references must pass their own scorer) and returns the failures
 * by dataset id, so the plan warns before GPU time is spent. Cached per definition and file version, as the serve
 * process plans many times.
 */
export async function selfCheckFailures(
  datasets: Record<string, Dataset>,
  ids: string[],
  root: string,
  python?: string,
): Promise<Record<string, string>> {
  const failures: Record<string, string> = {};
  for (const id of ids) {
    const dataset = datasets[id];
    if (!dataset || dataset.path.startsWith('hf:')) continue;
    const file = resolveDataPath(root, dataset.path);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue; // a missing file has its own warning
    }
    const key = JSON.stringify([id, dataset, file, stat.size, stat.mtimeMs, python]);
    let failure = cache.get(key);
    if (failure === undefined) {
      failure = await checkOne(id, dataset, root, python);
      cache.set(key, failure);
    }
    if (failure) failures[id] = failure;
  }
  return failures;
}

async function checkOne(id: string, dataset: Dataset, root: string, python?: string): Promise<string | null> {
  try {
    const report = await selfCheckDataset(id, dataset, { root, python, limit: SELF_CHECK_LIMIT });
    const empty = nothingChecked(report);
    if (empty) return `${empty}${report.problems[0] ? ` (e.g. ${report.problems[0]})` : ''}`;
    const bad = report.samples.filter((s) => s.verdict !== 'pass');
    if (!bad.length) return null;
    const first = bad[0]!;
    return `${bad.length} of ${report.samples.length} references fail their own scorer, e.g. ${first.id}: ${first.reason}`;
  } catch (err) {
    return `self-check could not run: ${errorMessage(err)}`;
  }
}
