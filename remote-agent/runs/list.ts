import { RunSummarySchema, type RunSummary } from '../../common/run/records';
import { RunPaths } from '../store/layout';
import { listRunIds } from '../store/run-store';
import { runStatus } from './status';
import { errorMessage } from '../../common/error-message';

/** Summaries of the newest runs. A run whose files cannot be read is reported on stderr and left out. */
export async function listRuns(workdir: string, limit = 50): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const runId of listRunIds(workdir).slice(0, limit)) {
    try {
      out.push(RunSummarySchema.parse(await runStatus(RunPaths.of(workdir, runId))));
    } catch (err) {
      process.stderr.write(`evalbench: skipping run ${runId}: ${errorMessage(err)}\n`);
    }
  }
  return out;
}
