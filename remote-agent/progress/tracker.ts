import type { RunStatus, TaskState } from '../../common/run/records';

interface Point {
  t: number;
  done: number;
}

/** How far back the sample rate is measured: long enough to smooth bursts, short enough to follow a slowdown. */
const RATE_WINDOW_MS = 60_000;

export function taskKey(t: Pick<TaskState, 'model' | 'dataset'>): string {
  return `${t.model}\u0000${t.dataset}`;
}

/** Remembers when each task reached how many samples, to give its rate and ETA. Time is passed in: pure and testable. */
export class ProgressTracker {
  private readonly history = new Map<string, Point[]>();

  observe(status: RunStatus, now: number): void {
    for (const task of status.taskStates) {
      const key = taskKey(task);
      const points = this.history.get(key) ?? [];
      const last = points[points.length - 1];
      if (last && task.done < last.done) points.length = 0; // a rerun started over
      if (!last || task.done !== last.done || points.length === 1) points.push({ t: now, done: task.done });
      else points[points.length - 1] = { t: now, done: task.done }; // unchanged count: keep only the newest time
      while (points.length > 2 && now - points[1]!.t > RATE_WINDOW_MS) points.shift();
      this.history.set(key, points);
    }
  }

  /** Samples per second over the recent window; undefined until two observations differ. */
  rate(task: TaskState): number | undefined {
    const points = this.history.get(taskKey(task));
    if (!points || points.length < 2) return undefined;
    const first = points[0]!;
    const last = points[points.length - 1]!;
    const dt = (last.t - first.t) / 1000;
    const dn = last.done - first.done;
    return dt > 0 && dn > 0 ? dn / dt : undefined;
  }

  /** Seconds left for a running task at its recent rate; undefined when not running or not measurable yet. */
  etaSeconds(task: TaskState): number | undefined {
    if (task.state !== 'running' || task.total === null) return undefined;
    const left = task.total - task.done;
    if (left <= 0) return 0;
    const rate = this.rate(task);
    return rate === undefined ? undefined : left / rate;
  }
}
