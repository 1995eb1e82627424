import { normalizeJobState } from '../../common/run/job-state';

/** What the scheduler says about one job. `state` is SLURM's base state name (PENDING, RUNNING, COMPLETED, …). */
export interface SchedulerJobState {
  jobId: string;
  state: string;
  exitCode?: string;
  node?: string;
  reason?: string;
}

/** `sbatch --parsable` prints `<jobid>` or `<jobid>;<cluster>`, possibly after warnings on other lines. */
export function parseSbatchParsable(stdout: string): string {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(\d+)(?:_\d+)?(?:;\S+)?$/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  throw new Error(`sbatch printed no job id: ${JSON.stringify(stdout.slice(0, 300))}`);
}

function blank(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t && t !== '(null)' && t !== 'None' && t !== 'None assigned' ? t : undefined;
}

/** Lines of `squeue -h -t all -j IDS -o '%i|%T|%N|%r'`. Array tasks and stray lines are ignored. */
export function parseSqueue(stdout: string): Map<string, SchedulerJobState> {
  const out = new Map<string, SchedulerJobState>();
  for (const line of stdout.split('\n')) {
    const [id, state, node, reason] = line.split('|');
    if (!id || state === undefined || !/^\d+$/.test(id.trim())) continue;
    out.set(id.trim(), { jobId: id.trim(), state: normalizeJobState(state), node: blank(node), reason: blank(reason) });
  }
  return out;
}

/**
 * Lines of `sacct -P -n -o JobID,State,ExitCode,NodeList`. Only the allocation row (`123`) counts; steps
 * (`123.batch`, `123.extern`, `123.0`) are skipped. A job listed twice (requeued) keeps its last row.
 */
export function parseSacct(stdout: string): Map<string, SchedulerJobState> {
  const out = new Map<string, SchedulerJobState>();
  for (const line of stdout.split('\n')) {
    const [id, state, exitCode, node] = line.split('|');
    if (!id || state === undefined || !/^\d+$/.test(id.trim())) continue;
    out.set(id.trim(), {
      jobId: id.trim(),
      state: normalizeJobState(state),
      exitCode: blank(exitCode),
      node: blank(node),
    });
  }
  return out;
}

/** `scontrol show job ID` (one or more jobs, `Key=Value` pairs separated by spaces and newlines). */
export function parseScontrolShowJob(stdout: string): Map<string, SchedulerJobState> {
  const out = new Map<string, SchedulerJobState>();
  for (const block of stdout.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const m of block.matchAll(/(?:^|\s)([A-Za-z][\w/:]*)=(\S*)/g))
      if (!fields.has(m[1]!)) fields.set(m[1]!, m[2]!);
    const id = fields.get('JobId');
    const state = fields.get('JobState');
    if (!id || !/^\d+$/.test(id) || !state) continue;
    out.set(id, {
      jobId: id,
      state: normalizeJobState(state),
      exitCode: blank(fields.get('ExitCode')),
      node: blank(fields.get('NodeList')),
      reason: blank(fields.get('Reason')),
    });
  }
  return out;
}
