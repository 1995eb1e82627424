import type { RunStatus } from '../../common/run/records';
import type { RunPaths } from '../store/layout';
import { followRun } from './follow';

/**
 * What `run --wait`, `rerun --wait` and `status --follow` call: live progress on stderr (lines redrawn in place on
 * a terminal, plain lines on change otherwise) until the run ends. Ctrl-C stops following, not the run.
 */
export async function followOnStderr(paths: RunPaths, opts: { intervalMs?: number } = {}): Promise<RunStatus> {
  const stop = new AbortController();
  const onInt = () => stop.abort();
  process.once('SIGINT', onInt);
  try {
    const final = await followRun(paths.dir, {
      tty: process.stderr.isTTY === true,
      out: process.stderr,
      intervalMs: opts.intervalMs,
      signal: stop.signal,
    });
    if (stop.signal.aborted)
      process.stderr.write(`stopped following; run ${paths.runId} goes on: evalbench status ${paths.runId} --follow\n`);
    return final;
  } finally {
    process.off('SIGINT', onInt);
  }
}
