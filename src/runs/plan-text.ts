import { bytesToUpload, describePlanDataset, formatBytes } from '../../common/run/dataset-files';
import type { Plan } from '../../common/run/plan-schema';
import { weightsLine } from '../../common/run/plan-weights-text';
import { resolveColumn } from '../../common/catalog/adapters';
import type { RunRequest } from '../../common/run/request';
import { engineDescriptor } from '../../common/catalog/engines';

/** What the user chose, repeated at the top of the plan: profile, partition, preset, sample limit, engine per model. */
export interface LaunchSettings {
  profile: string;
  partition?: string;
  presetId: string;
  samples?: number;
  /** Per model column: "vLLM", "Transformers", "endpoint", "reference engine", … */
  engines: Record<string, string>;
}

/** Pure: the settings of a request as the plan repeats them. */
export function launchSettings(request: RunRequest, profile: string): LaunchSettings {
  const o = request.engineOverride;
  const engineOf = (column: string): string => {
    if (o?.kind === 'reference') return 'reference engine';
    if (o?.kind === 'endpoint') return `endpoint ${o.url}`;
    const backend = resolveColumn(request.models, column)?.model.backend;
    return backend ? engineDescriptor(backend).label : 'unknown engine';
  };
  const columns = Object.keys(request.models);
  return {
    profile: `${profile} (${request.cluster.kind}${request.cluster.host ? ` over SSH to ${request.cluster.host}` : ', this machine'})`,
    ...(request.cluster.partition ? { partition: request.cluster.partition } : {}),
    presetId: request.presetId,
    ...(request.samples !== undefined ? { samples: request.samples } : {}),
    engines: Object.fromEntries(columns.map((c) => [c, engineOf(c)])),
  };
}

const MAX_JOB_LINES = 12;
const MAX_WARNINGS = 12;
const MAX_DATASET_LINES = 12;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Pure: the confirmation of a plan — a one-line message and a detail listing jobs and every warning. */
export function planSummary(
  plan: Plan,
  target: string,
  settings?: LaunchSettings,
): { message: string; detail: string } {
  const samples = plan.tasks.reduce<number | null>(
    (a, t) => (a === null || t.samples === null ? null : a + t.samples),
    0,
  );
  const errors = plan.errors ?? [];
  const message = errors.length
    ? `Cannot submit to ${target}: ${plural(errors.length, 'problem')} to fix first`
    : `Submit ${plural(plan.jobs.length, 'job')} (${plural(plan.tasks.length, 'task')}) to ${target}?`;
  const engineOf = (model: string) => settings?.engines[model] ?? settings?.engines[model.split(':')[0]!];
  const header = settings
    ? [
        `Profile ${settings.profile} · partition ${settings.partition ?? "(the scheduler's default)"}`,
        `Preset ${settings.presetId} · ${settings.samples !== undefined ? `at most ${plural(settings.samples, 'sample')} per dataset` : 'every sample'}`,
        `Engines: ${plan.jobs.map((j) => `${j.model} → ${engineOf(j.model) ?? '?'}`).join(', ')}`,
      ]
    : [];
  const lines: string[] = [
    ...header,
    `${plural(plan.totalGpus, 'GPU')} in all · about ${plan.estimatedGpuHours.toFixed(2)} GPU-hours · ${samples === null ? 'sample count unknown' : `${samples.toLocaleString('en-US')} samples`}`,
    '',
  ];
  for (const j of plan.jobs.slice(0, MAX_JOB_LINES)) {
    const engine = engineOf(j.model);
    lines.push(
      `• ${j.model}${engine ? ` (${engine})` : ''}: ${plural(j.gpus, 'GPU')}${j.tensorParallel > 1 ? ` (TP ${j.tensorParallel})` : ''}, ${plural(j.datasets.length, 'dataset')}, ~${j.estimatedGpuHours.toFixed(2)} GPU-h`,
    );
    const weights = weightsLine(plan, j.model);
    if (weights) lines.push(`   weights: ${weights}`);
  }
  if (plan.jobs.length > MAX_JOB_LINES) lines.push(`• … and ${plan.jobs.length - MAX_JOB_LINES} more jobs`);
  if (errors.length) {
    lines.push('', `✗ ${plural(errors.length, 'error')} (nothing is submitted):`);
    for (const e of errors) lines.push(`✗ ${e}`);
  }
  const datasets = plan.datasets ?? [];
  if (datasets.length) {
    const upload = datasets.reduce((n, d) => n + bytesToUpload(d), 0);
    lines.push('', `Datasets${upload ? ` (${formatBytes(upload)} to upload)` : ''}:`);
    for (const d of datasets.slice(0, MAX_DATASET_LINES)) lines.push(`• ${describePlanDataset(d)}`);
    if (datasets.length > MAX_DATASET_LINES)
      lines.push(`• … and ${datasets.length - MAX_DATASET_LINES} more (see the output log)`);
  }
  if (plan.warnings.length) {
    lines.push('', `⚠ ${plural(plan.warnings.length, 'warning')}:`);
    for (const w of plan.warnings.slice(0, MAX_WARNINGS))
      lines.push(`⚠ ${w.model && !w.message.includes(w.model) ? `${w.model}: ` : ''}${w.message}`);
    if (plan.warnings.length > MAX_WARNINGS)
      lines.push(`⚠ … and ${plan.warnings.length - MAX_WARNINGS} more (see the output log)`);
  }
  return { message, detail: lines.join('\n') };
}
