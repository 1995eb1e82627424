import type { Plan } from './plan-schema';

/**
 * What differs between the plan a user confirmed and the plan of the same request at submission: the tasks and
 * their sample counts, each job's datasets and GPUs, and where each dataset file is read. An empty list means the
 * confirmed plan is the one submitted. Weights' and uploads' states are left out on purpose: fetching weights and
 * uploading datasets between confirmation and submission is what the confirmation asked for.
 */
export function planDrift(confirmed: Plan, current: Plan): string[] {
  return [...taskDrift(confirmed, current), ...jobDrift(confirmed, current), ...datasetFileDrift(confirmed, current)];
}

function taskDrift(confirmed: Plan, current: Plan): string[] {
  const key = (t: Plan['tasks'][number]) => `${t.model} × ${t.dataset}`;
  const before = new Map(confirmed.tasks.map((t) => [key(t), t.samples]));
  const after = new Map(current.tasks.map((t) => [key(t), t.samples]));
  const out: string[] = [];
  for (const [k, samples] of before) {
    if (!after.has(k)) out.push(`task ${k} is no longer in the plan`);
    else if (after.get(k) !== samples)
      out.push(`task ${k}: ${count(samples)} samples confirmed, ${count(after.get(k) ?? null)} now`);
  }
  for (const k of after.keys()) if (!before.has(k)) out.push(`task ${k} is new in the plan`);
  return out;
}

function jobDrift(confirmed: Plan, current: Plan): string[] {
  const after = new Map(current.jobs.map((j) => [j.model, j]));
  const out: string[] = [];
  for (const was of confirmed.jobs) {
    const now = after.get(was.model);
    if (!now) {
      out.push(`the job of model "${was.model}" is no longer in the plan`);
      continue;
    }
    if (now.datasets.join(',') !== was.datasets.join(','))
      out.push(
        `the job of model "${was.model}": datasets ${was.datasets.join(', ')} confirmed, ${now.datasets.join(', ')} now`,
      );
    const gpus = (j: Plan['jobs'][number]) =>
      `${j.gpus} GPU${j.gpus === 1 ? '' : 's'} (tensor parallel ${j.tensorParallel} × ${j.replicas ?? 1} replica${(j.replicas ?? 1) === 1 ? '' : 's'})`;
    if (gpus(now) !== gpus(was)) out.push(`the job of model "${was.model}": ${gpus(was)} confirmed, ${gpus(now)} now`);
  }
  const models = new Set(confirmed.jobs.map((j) => j.model));
  for (const j of current.jobs) if (!models.has(j.model)) out.push(`a job of model "${j.model}" is new in the plan`);
  return out;
}

function datasetFileDrift(confirmed: Plan, current: Plan): string[] {
  const key = (d: NonNullable<Plan['datasets']>[number]) => `${d.dataset} (${d.field})`;
  const after = new Map((current.datasets ?? []).map((d) => [key(d), d.reads]));
  const out: string[] = [];
  for (const d of confirmed.datasets ?? []) {
    const reads = after.get(key(d));
    if (reads !== undefined && reads !== d.reads)
      out.push(`dataset ${key(d)}: read from ${d.reads} when confirmed, from ${reads} now`);
  }
  return out;
}

function count(samples: number | null): string {
  return samples === null ? 'an unknown number of' : String(samples);
}
