import type { RunEvent } from '../../common/run/events';
import { readEvents } from '../store/events';
import type { RunPaths } from '../store/layout';
import { runStatus } from './status';
import { isRunFinished } from './task-state';

export interface WatchPage {
  events: Array<{ offset: number; event: RunEvent }>;
  next: number;
  /** The run has finished and every event up to its end has been returned. */
  done: boolean;
}

const POLL_MS = 200;
const STATUS_EVERY_MS = 2_000;

/**
 * Events after `offset`, waiting up to `waitMs` for the first one (long poll). The scheduler is asked at most every
 * 2 s meanwhile: that is what turns a job's end into a `job_finished` event, even for a job that died silently.
 */
export async function watchRun(paths: RunPaths, offset: number, waitMs = 0, signal?: AbortSignal): Promise<WatchPage> {
  const deadline = Date.now() + waitMs;
  let nextStatusAt = 0;
  for (;;) {
    let finished = false;
    if (Date.now() >= nextStatusAt) {
      finished = isRunFinished((await runStatus(paths)).state);
      nextStatusAt = Date.now() + STATUS_EVERY_MS;
    }
    const page = readEvents(paths, offset);
    if (page.events.length > 0 || page.next > offset) {
      // More may follow in this same page's wake; `done` only once a read past the end finds nothing new.
      return { events: page.events, next: page.next, done: false };
    }
    if (finished) return { events: [], next: page.next, done: true };
    if (Date.now() >= deadline || signal?.aborted) return { events: [], next: page.next, done: false };
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}
