import * as fs from 'fs';
import { schedulerFor } from '../slurm/schedulers';
import { appendEvent } from '../store/events';
import type { RunPaths } from '../store/layout';
import { readRun, updateRun, withRunOperation } from '../store/run-store';

/** Cancels every job of the run that may still run (scancel, or the local process group); returns their ids. */
export function cancelRun(paths: RunPaths): Promise<string[]> {
  return withRunOperation(paths, () => cancelLocked(paths));
}

async function cancelLocked(paths: RunPaths): Promise<string[]> {
  const run = readRun(paths);
  const open = run.jobs.filter((j) => j.finalState === undefined);
  const cancelled = open.length ? await schedulerFor(run.request.cluster.kind).cancel(paths, open) : [];
  // A job cancelled before it started never read its token file: it goes with the job.
  for (const model of new Set(run.jobs.map((j) => j.model))) fs.rmSync(paths.hfTokenFile(model), { force: true });
  updateRun(paths, (r) => {
    r.cancelledAt = new Date().toISOString();
  });
  appendEvent(paths, { type: 'run_cancelled' });
  return cancelled;
}
