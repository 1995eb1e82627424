import type { RunStatus } from '../../common/run/records';
import { runStatus } from '../runs/status';
import { readEvents } from '../store/events';
import type { RunPaths } from '../store/layout';
import { readRun } from '../store/run-store';
import { latestAttempts, type RunRecord } from '../store/run-record';
import { buildReport } from './build';
import type { ReportInput, ReportModel, RunConfig } from './model';

/** A run's report from its store: run.json, the status `evalbench status` computes (scheduler included), events. */
export async function loadReport(paths: RunPaths, status?: RunStatus): Promise<ReportModel> {
  return buildReport(await loadReportInput(paths, status));
}

export async function loadReportInput(paths: RunPaths, status?: RunStatus): Promise<ReportInput> {
  const current = status ?? (await runStatus(paths));
  // runStatus may have recorded ended jobs in run.json: read it after.
  const run = readRun(paths);
  return { status: current, config: configOf(run), events: readEvents(paths).events.map((e) => e.event) };
}

export function configOf(run: RunRecord): RunConfig {
  const { request, plan, provenance } = run;
  const override = request.engineOverride;
  const noGpu = override !== undefined; // the reference engine runs in the job; an endpoint's GPUs are not the run's
  const settings: Record<string, string | number | boolean> = {
    cluster: `${request.clusterId} (${request.cluster.kind})`,
    ...(request.samples !== undefined ? { 'sample limit': request.samples } : {}),
  };
  for (const [k, v] of Object.entries(request.preset.engine)) if (v !== undefined) settings[`engine.${k}`] = v;
  for (const [k, v] of Object.entries(request.preset.generation))
    if (v !== undefined) settings[`generation.${k}`] = typeof v === 'object' ? JSON.stringify(v) : v;
  const extra: Record<string, string> = {
    evalbenchVersion: provenance.agentVersion,
    'node version': provenance.nodeVersion,
    'submitted by': `${provenance.user}@${provenance.host}`,
    'work directory': provenance.workdir,
    'dataset root': provenance.datasetRoot,
  };
  const engineVersions: Record<string, string> = {};
  for (const attempt of latestAttempts(run).values()) {
    if (attempt.engineVersion) engineVersions[attempt.model] = attempt.engineVersion;
    if (attempt.attempt > 1) extra[`attempts of ${attempt.model}`] = String(attempt.attempt);
  }
  for (const [id, m] of Object.entries(request.models))
    extra[`model ${id}`] = `${m.hf}${m.revision ? `@${m.revision}` : ''} (${m.backend})`;
  for (const [id, d] of Object.entries(request.datasets)) extra[`dataset ${id}`] = `${d.path} (${d.format})`;
  return {
    models: plan.jobs.map((j) => j.model),
    datasets: [...new Set(plan.tasks.map((t) => t.dataset))],
    presetId: request.presetId,
    settings,
    seed: provenance.seed,
    engineOverride:
      override === undefined
        ? undefined
        : override.kind === 'reference'
          ? 'reference'
          : `endpoint ${override.url} (model ${override.model})`,
    engineVersions,
    gpusPerModel: Object.fromEntries(plan.jobs.map((j) => [j.model, noGpu ? 0 : j.gpus])),
    provenance: extra,
  };
}
