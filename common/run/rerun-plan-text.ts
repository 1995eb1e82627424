import { describeOverride } from './rerun-override';
import type { RerunPlan, RerunPlanJob } from './rerun-plan';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Engine flags as `--name` → value (`true` for a flag without one), in order. */
function flagMap(flags: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (!f.startsWith('--')) continue;
    const next = flags[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.set(f, next);
      i++;
    } else out.set(f, 'true');
  }
  return out;
}

/** Pure: the engine flags that differ, e.g. "--tensor-parallel-size 1 → 2", "+ --quantization fp8", "− --revision main". */
export function changedFlags(before: readonly string[], after: readonly string[]): string[] {
  const a = flagMap(before);
  const b = flagMap(after);
  const show = (flag: string, v: string) => (v === 'true' ? flag : `${flag} ${v}`);
  const lines: string[] = [];
  for (const [flag, v] of b) {
    const old = a.get(flag);
    if (old === undefined) lines.push(`+ ${show(flag, v)}`);
    else if (old !== v) lines.push(`${flag} ${old} → ${v}`);
  }
  for (const [flag, v] of a) if (!b.has(flag)) lines.push(`− ${show(flag, v)}`);
  return lines;
}

function samplesLine(t: RerunPlanJob['tasks'][number]): string {
  if (t.total === null) return `${t.done} generated so far (total unknown)`;
  const left = Math.max(t.total - t.done, 0);
  return `${t.done} of ${t.total} generated, ${left} left`;
}

/** One fix's plan in a line: its GPUs and the engine flags it changes ("2 GPUs (TP 2) · --tensor-parallel-size 1 → 2"). */
export function fixLine(plan: RerunPlan): string {
  const gpus = plan.jobs.reduce((n, j) => n + j.gpus, 0);
  const tp = [...new Set(plan.jobs.map((j) => j.tensorParallel))];
  const flags = [...new Set(plan.jobs.flatMap((j) => changedFlags(j.previousFlags, j.engineFlags)))];
  return [
    `${plural(gpus, 'GPU')}${tp.length === 1 && tp[0]! > 1 ? ` (TP ${tp[0]})` : ''}`,
    flags.length ? flags.join(', ') : 'no engine flag changes',
  ].join(' · ');
}

/** Pure: the confirmation of a rerun — what is resubmitted (tasks, samples left, GPUs, preset, engine changes). */
export function rerunPlanText(plan: RerunPlan): { message: string; detail: string } {
  const tasks = plan.jobs.reduce((n, j) => n + j.tasks.length, 0);
  const name = plan.runName ?? plan.runId;
  const message = plan.jobs.length
    ? `Rerun ${plural(tasks, 'task')} of "${name}" (${plural(plan.jobs.length, 'job')}) on ${plan.clusterId}?`
    : `Nothing to rerun in "${name}"`;
  const lines: string[] = [
    `Profile ${plan.clusterId}${plan.partition ? ` · partition ${plan.partition}` : ''} · ${plural(
      plan.jobs.reduce((n, j) => n + j.gpus, 0),
      'GPU',
    )} in all`,
    `Change: ${plan.override ? describeOverride(plan.override) : 'none (the same settings as the last attempt)'}`,
    '',
  ];
  for (const j of plan.jobs) {
    lines.push(
      `• ${j.model}: ${plural(j.gpus, 'GPU')}${j.tensorParallel > 1 ? ` (TP ${j.tensorParallel})` : ''}, preset ${j.presetId}, ${j.engine} ${j.hf}${j.quantization !== 'none' ? ` (${j.quantization})` : ''}`,
    );
    if (j.settings) lines.push(`   with ${j.settings}`);
    const flags = changedFlags(j.previousFlags, j.engineFlags);
    if (flags.length) lines.push(`   engine flags: ${flags.join(', ')}`);
    for (const t of j.tasks)
      lines.push(
        `   – ${t.dataset}: ${t.state}, ${samplesLine(t)}${t.reason ? ` — ${t.reason.length > 160 ? `${t.reason.slice(0, 159)}…` : t.reason}` : ''}`,
      );
  }
  for (const s of plan.skipped) lines.push(`• ${s.model}: not rerun (${s.reason})`);
  if (plan.jobs.length) lines.push('', 'Samples already generated are kept: the rerun generates only the rest.');
  return { message, detail: lines.join('\n') };
}
