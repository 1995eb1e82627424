import type { RunStatus } from '../../common/run/records';
import type { RunPaths } from '../store/layout';
import { runStatus } from '../runs/status';
import { isRunFinished } from '../runs/task-state';

/** Polls the run until it finishes, reporting each change of the task counts. */
export async function followRun(paths: RunPaths, onChange: (s: RunStatus) => void, pollMs = 1_000): Promise<RunStatus> {
  let last = '';
  for (;;) {
    const s = await runStatus(paths);
    const key = JSON.stringify([s.state, s.taskStates.map((t) => [t.state, t.done])]);
    if (key !== last) {
      last = key;
      onChange(s);
    }
    if (isRunFinished(s.state)) return s;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Exit status of a followed run: 0 only when every task passed. */
export function exitCodeOf(s: RunStatus): number {
  return s.state === 'done' ? 0 : 1;
}
