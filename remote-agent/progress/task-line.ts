import type { RunStatus, TaskState } from '../../common/run/records';
import { plain } from '../report/render-text';

export interface LineOptions {
  /** Seconds left, where known. */
  etaS?: number;
  /** Draw a bar (terminals only). */
  bar?: boolean;
  /** Width the model / dataset label is padded (or cut) to. */
  labelWidth?: number;
}

/** One task as one line: `qwen3-8b / gsm8k  running   37/120  31%  pass 0.84  1,234 tok/s  ETA 2m10s`. */
export function taskLine(task: TaskState, opts: LineOptions = {}): string {
  const full = `${plain(task.model)} / ${plain(task.dataset)}`;
  const width = opts.labelWidth;
  const label =
    width === undefined ? full : full.length > width ? `${full.slice(0, Math.max(1, width - 1))}…` : full.padEnd(width);
  const total = task.total;
  const count = `${task.done}/${total ?? '?'}`.padStart(9);
  const pct = total ? `${Math.floor((100 * task.done) / total)}%`.padStart(4) : '   ?';
  const parts = [label, task.state.padEnd(9)];
  if (opts.bar) parts.push(bar(task.done, total));
  parts.push(count, pct);
  if (task.state === 'done' && task.value !== undefined) {
    parts.push(
      `${task.metric ? `${plain(task.metric)} ` : ''}${task.value.toFixed(3)}${task.stderr !== undefined ? ` ± ${task.stderr.toFixed(3)}` : ''}`,
    );
  } else if (task.passRate !== undefined && task.done > 0) parts.push(`pass ${task.passRate.toFixed(2)}`);
  if (task.tokensPerS !== undefined && task.tokensPerS > 0) parts.push(`${formatRate(task.tokensPerS)} tok/s`);
  if (opts.etaS !== undefined) parts.push(`ETA ${formatDuration(opts.etaS)}`);
  if ((task.state === 'failed' || task.state === 'cancelled') && task.reason)
    parts.push(`— ${plain(firstLine(task.reason))}`);
  return parts.join('  ').trimEnd();
}

/** The run in one line: `run 2025… (SELF-CHECK RUN) running · 3/14 tasks finished, 1 failed · jobs: m1 RUNNING`. */
export function runLine(status: RunStatus): string {
  const t = status.tasks;
  const finished = t.done + t.failed;
  const jobs = status.jobs
    .map((j) => `${plain(j.model)} ${plain(j.state)}${j.jobId ? ` (${plain(j.jobId)})` : ''}`)
    .join(', ');
  return [
    `run ${plain(status.runId)}${status.reference ? ' (SELF-CHECK RUN: reference engine)' : ''} ${status.state}`,
    `${finished}/${t.total} tasks finished${t.failed ? `, ${t.failed} failed` : ''}${t.running ? `, ${t.running} running` : ''}`,
    jobs ? `jobs: ${jobs}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatRate(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}

function bar(done: number, total: number | null, width = 12): string {
  if (!total) return `[${' '.repeat(width)}]`;
  const filled = Math.min(width, Math.round((width * done) / total));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? s
  );
}
