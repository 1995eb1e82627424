import type { RunStatus, TaskState } from '../../common/run/records';

function counts(t: TaskState): string {
  return `${t.done}/${t.total ?? '?'}`;
}

function score(t: TaskState): string {
  if (t.value === undefined || t.metric === undefined)
    return t.passRate !== undefined ? `pass rate so far ${(t.passRate * 100).toFixed(1)}%` : '';
  return `${t.metric} ${t.value.toFixed(4)}${t.stderr !== undefined ? ` ± ${t.stderr.toFixed(4)}` : ''}`;
}

/** `evalbench status` for people: the run line, one line per job, one per task (with its reason when it failed). */
export function renderStatus(s: RunStatus): string {
  const lines: string[] = [];
  const what = [s.name, s.category ? `category ${s.category}` : undefined, `cluster ${s.clusterId} (${s.target})`]
    .filter(Boolean)
    .join(', ');
  lines.push(
    `run ${s.runId}: ${s.state.toUpperCase()} — ${s.tasks.done}/${s.tasks.total} tasks done, ${s.tasks.failed} failed, ${s.tasks.running} running  [${what}]`,
  );
  lines.push('jobs:');
  const mw = Math.max(5, ...s.jobs.map((j) => j.model.length));
  for (const j of s.jobs)
    lines.push(
      `  ${j.model.padEnd(mw)}  job ${(j.jobId ?? '-').padEnd(12)} ${j.state}${j.exitCode ? ` (exit ${j.exitCode})` : ''}${j.node ? ` on ${j.node}` : ''}`,
    );
  lines.push('tasks:');
  const tw = Math.max(5, ...s.taskStates.map((t) => `${t.model}/${t.dataset}`.length));
  for (const t of s.taskStates) {
    lines.push(
      `  ${`${t.model}/${t.dataset}`.padEnd(tw)}  ${t.state.padEnd(9)} ${counts(t).padStart(9)}  ${score(t)}`.trimEnd(),
    );
    if (t.reason) lines.push(`  ${''.padEnd(tw)}  ↳ ${t.reason}`);
  }
  return lines.join('\n') + '\n';
}
