import * as fs from 'fs';
import { appendEvent } from '../store/events';
import type { RunPaths } from '../store/layout';
import { updateRun } from '../store/run-store';
import type { JobAttempt, RunRecord } from '../store/run-record';
import type { RerunOverride } from '../../common/run/rerun-override';
import { recordTaskFailure } from '../store/task-files';
import { resolveHfHome } from '../models/hf-home';
import { renderJobScript } from '../slurm/render';
import type { JobScheduler } from '../slurm/scheduler';
import { errorMessage } from '../../common/error-message';

/**
 * Renders the model's job script into jobs/<model>.sbatch (what is submitted is exactly what is kept), submits it
 * and records the attempt in run.json and events.jsonl. A submission the scheduler refuses fails the model's tasks
 * with the scheduler's message, so the run shows why instead of waiting forever. `run` is the model's view
 * (runForModel: its reruns' settings applied); `override` is recorded on the attempt.
 */
export async function submitModelJob(
  paths: RunPaths,
  run: RunRecord,
  model: string,
  datasets: string[],
  scheduler: JobScheduler,
  override?: RerunOverride,
  hfToken?: string,
): Promise<{ ok: true; attempt: JobAttempt } | { ok: false; reason: string }> {
  const planJob = run.plan.jobs.find((j) => j.model === model);
  if (!planJob) return { ok: false, reason: `model "${model}" is not part of run ${run.runId}` };
  let jobId: string;
  let pid: number | undefined;
  try {
    const tokenFile = writeTokenFile(paths, run, model, hfToken);
    const script = renderJobScript({
      cluster: run.request.cluster,
      modelId: model,
      job: planJob,
      runDir: paths.dir,
      agentPath: run.provenance.agentPath,
      nodePath: run.provenance.nodePath,
      env: weightsEnv(run, model),
      tokenFile,
    });
    const scriptPath = paths.script(model);
    fs.writeFileSync(scriptPath, script, { mode: 0o755 });
    ({ jobId, pid } = await scheduler.submit(paths, model, scriptPath));
  } catch (err) {
    const reason = `${scheduler.kind === 'slurm' ? 'sbatch' : 'starting the local job'} failed: ${errorMessage(err)}`;
    for (const dataset of datasets) recordTaskFailure(paths, { model, dataset, reason });
    return { ok: false, reason };
  }
  let attempt: JobAttempt | undefined;
  updateRun(paths, (r) => {
    const number = 1 + r.jobs.filter((j) => j.model === model).reduce((m, j) => Math.max(m, j.attempt), 0);
    attempt = {
      model,
      jobId,
      kind: scheduler.kind,
      attempt: number,
      submittedAt: new Date().toISOString(),
      datasets,
      ...(pid !== undefined ? { pid } : {}),
      ...(override ? { override } : {}),
    };
    r.jobs.push(attempt);
  });
  appendEvent(paths, { type: 'job_submitted', model, jobId });
  return { ok: true, attempt: attempt! };
}

/**
 * The token file of a job that may download weights (not every source cached or on disk): 0600, created afresh
 * (a file left by an attempt that never started is replaced, or removed when this submission has no token).
 */
function writeTokenFile(
  paths: RunPaths,
  run: RunRecord,
  model: string,
  hfToken: string | undefined,
): string | undefined {
  const file = paths.hfTokenFile(model);
  fs.rmSync(file, { force: true });
  const planned = run.plan.models?.find((m) => m.model === model);
  if (!hfToken || !planned || planned.offline) return undefined;
  fs.writeFileSync(file, hfToken, { mode: 0o600, flag: 'wx' });
  return file;
}

/** HF_HOME for every job; HF_HUB_OFFLINE=1 when the plan found all of the model's weights cached (or on disk). */
export function weightsEnv(run: RunRecord, model: string): Record<string, string> {
  const planned = run.plan.models?.find((m) => m.model === model);
  const hfHome = planned?.hfHome ?? resolveHfHome(run.request.cluster, run.provenance.workdir);
  return { HF_HOME: hfHome, ...(planned?.offline ? { HF_HUB_OFFLINE: '1' } : {}) };
}
