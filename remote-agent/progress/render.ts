import type { RunStatus } from '../../common/run/records';
import { runLine, taskLine } from './task-line';
import { taskKey, type ProgressTracker } from './tracker';

/** The lines of one terminal frame: the run line, then one line per task, cut to fit the screen. */
export function frameLines(
  status: RunStatus,
  tracker: ProgressTracker,
  screen: { columns: number; rows: number },
): string[] {
  // Labels get what the numbers leave of the width (about 75 columns), so a long id never pushes progress off screen.
  const longest = Math.max(0, ...status.taskStates.map((t) => t.model.length + t.dataset.length + 3));
  const labelWidth = Math.min(longest, Math.max(12, screen.columns - 76));
  const tasks = status.taskStates.map((t) => taskLine(t, { etaS: tracker.etaSeconds(t), bar: true, labelWidth }));
  const room = Math.max(1, screen.rows - 2);
  let shown = tasks;
  if (tasks.length > room) {
    // Keep the tasks that move (running first), then those that failed; say how many are left out.
    const order = status.taskStates.map((t, i) => ({
      i,
      rank: t.state === 'running' ? 0 : t.state === 'failed' ? 1 : 2,
    }));
    const keep = new Set(
      order
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .slice(0, room - 1)
        .map((o) => o.i),
    );
    shown = tasks.filter((_, i) => keep.has(i));
    shown.push(`… ${tasks.length - shown.length} more tasks`);
  }
  return [runLine(status), ...shown].map((l) => fit(l, screen.columns));
}

/**
 * Text that replaces the previous frame in place: back to the start of its first line, clear to the end of the
 * screen, write the new one. Lines never reach the last column, so none wraps and the line count stays exact.
 */
export function redraw(lines: string[], previousLineCount: number): string {
  const up = previousLineCount > 0 ? `\x1b[${previousLineCount}F` : '';
  return `${up}\x1b[J${lines.join('\n')}\n`;
}

function fit(line: string, columns: number): string {
  const max = Math.max(10, columns - 1);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Plain (non-terminal) output: the run line when it changes, and a line for each task whose state, sample count
 * or score changed since it was last printed. `printed` remembers what was printed; it is updated in place.
 */
export function plainUpdate(status: RunStatus, tracker: ProgressTracker, printed: Map<string, string>): string[] {
  const out: string[] = [];
  const runKey = `${status.state}|${status.tasks.done}|${status.tasks.failed}|${status.jobs.map((j) => j.state).join(',')}`;
  if (printed.get('') !== runKey) {
    printed.set('', runKey);
    out.push(runLine(status));
  }
  const labelWidth = Math.min(48, Math.max(0, ...status.taskStates.map((t) => t.model.length + t.dataset.length + 3)));
  for (const t of status.taskStates) {
    const key = `${t.state}|${t.done}|${t.total}|${t.value ?? ''}|${t.reason ?? ''}`;
    if (printed.get(taskKey(t)) === key) continue;
    printed.set(taskKey(t), key);
    out.push(`  ${taskLine(t, { etaS: tracker.etaSeconds(t), labelWidth })}`);
  }
  return out;
}
