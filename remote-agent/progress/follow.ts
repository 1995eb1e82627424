import type { RunStatus } from '../../common/run/records';
import { runStatus } from '../runs/status';
import { isRunFinished } from '../runs/task-state';
import { RunPaths } from '../store/layout';
import { frameLines, plainUpdate, redraw } from './render';
import { ProgressTracker } from './tracker';

export interface FollowOptions {
  /** Redraw lines in place (a terminal); else print plain lines on change. */
  tty: boolean;
  out: { write(text: string): unknown; columns?: number; rows?: number };
  /** Reads the run's status (default: the agent's status computation, run store plus scheduler). */
  readStatus?: (runDir: string) => RunStatus | Promise<RunStatus>;
  /** Plain mode: at most one batch of lines per interval (default 10 s). */
  intervalMs?: number;
  /** How often the status is read (default 500 ms on a terminal, 2 s otherwise). */
  pollMs?: number;
  /** Stops following (the run goes on); resolves with the last status read. */
  signal?: AbortSignal;
  now?: () => number;
}

/** Shows a run's progress until it ends (or the signal aborts) and resolves with its final status. */
export async function followRun(runDir: string, opts: FollowOptions): Promise<RunStatus> {
  const now = opts.now ?? Date.now;
  const readStatus = opts.readStatus ?? ((dir: string) => runStatus(new RunPaths(dir)));
  const tracker = new ProgressTracker();
  const printed = new Map<string, string>();
  const intervalMs = opts.intervalMs ?? 10_000;
  const pollMs = opts.pollMs ?? (opts.tty ? 500 : 2_000);
  let drawn = 0;
  let lastPlain = -Infinity;
  for (;;) {
    const status = await readStatus(runDir);
    const t = now();
    tracker.observe(status, t);
    const finished = isRunFinished(status.state) || opts.signal?.aborted === true;
    if (opts.tty) {
      const lines = frameLines(status, tracker, { columns: opts.out.columns ?? 100, rows: opts.out.rows ?? 40 });
      opts.out.write(redraw(lines, drawn));
      drawn = lines.length;
    } else if (finished || t - lastPlain >= intervalMs) {
      const lines = plainUpdate(status, tracker, printed);
      if (lines.length) opts.out.write(lines.join('\n') + '\n');
      lastPlain = t;
    }
    if (finished) return status;
    await sleep(pollMs, opts.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
