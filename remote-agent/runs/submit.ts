import * as os from 'os';
import { needsUpload, notUploadedError } from '../../common/run/dataset-files';
import { planDrift } from '../../common/run/plan-drift';
import type { Plan } from '../../common/run/plan-schema';
import type { RunRequest } from '../../common/run/request';
import { EVALBENCH_VERSION } from '../../common/version';
import { ensureAgentInWorkdir } from '../slurm/agent-file';
import { assertOneLine } from '../slurm/quote';
import { schedulerFor } from '../slurm/schedulers';
import { appendEvent } from '../store/events';
import type { RunPaths } from '../store/layout';
import { createRun, readRun, withRunOperation } from '../store/run-store';
import { withResolvedDatasetPaths } from './dataset-locations';
import { fetchHubFiles } from './fetch-hub-files';
import { ensureImageViews } from './image-views';
import { PlanError } from './plan-error';
import { planWithWeights } from './plan-weights';
import { submitModelJob } from './submit-job';
import { currentUser } from './workdir';

export { PlanError };

export interface SubmitOptions {
  /** Absolute work directory: the run store goes under its runs/. */
  workdir: string;
  request: RunRequest;
  /** The agent file jobs run (default: the running agent, copied into the work directory). */
  agentSource?: string;
  /** Progress lines of the work done before submission (fetching Hub datasets). */
  log?: (message: string) => void;
  /** The client's Hugging Face token: for the plan's look at the Hub and the jobs that download at run time. */
  hfToken?: string;
  /** The plan the user confirmed: nothing is submitted when the plan made now differs from it. */
  confirmedPlan?: Plan;
}

export interface SubmitOutcome {
  runId: string;
  paths: RunPaths;
  plan: Plan;
  jobs: Array<{ model: string; jobId: string }>;
  /** Models whose job could not be submitted, with the reason (their tasks are failed). */
  errors: Array<{ model: string; reason: string }>;
}

/** node for the jobs: the profile's, except a local profile left at the default runs this very node. */
export function jobNodePath(request: RunRequest): string {
  return request.cluster.kind === 'local' && request.cluster.node === 'node' ? process.execPath : request.cluster.node;
}

/** Writes the run store for a request and submits one job per model. */
export async function submitRun(opts: SubmitOptions): Promise<SubmitOutcome> {
  const { workdir, request } = opts;
  for (const id of [...Object.keys(request.models), ...Object.keys(request.datasets)])
    assertOneLine('a catalog id', id);
  const datasetRoot = request.datasetRoot ?? workdir;
  const planned = await planWithWeights(request, datasetRoot, workdir, undefined, process.env, { value: opts.hfToken });
  if (!planned.ok) throw new PlanError(planned.errors);
  const plan = planned.plan;
  if (plan.errors?.length) throw new PlanError(plan.errors);
  const drift = opts.confirmedPlan ? planDrift(opts.confirmedPlan, plan) : [];
  if (drift.length)
    throw new PlanError([
      `the plan changed since it was confirmed; nothing was submitted (plan again to see the new one):`,
      ...drift,
    ]);
  const notUploaded = planned.files.filter(needsUpload);
  if (notUploaded.length) throw new PlanError(notUploaded.map(notUploadedError));
  ensureImageViews(request, workdir);
  const hubFiles = await fetchHubFiles(request, planned.files, workdir, opts.log, opts.hfToken);
  const resolved = withResolvedDatasetPaths(request, planned.files, hubFiles);
  const agentPath = ensureAgentInWorkdir(workdir, opts.agentSource);
  const paths = createRun(workdir, (runId) => ({
    runId,
    createdAt: new Date().toISOString(),
    request: { ...resolved, datasetRoot },
    plan,
    provenance: {
      agentVersion: EVALBENCH_VERSION,
      nodeVersion: process.version,
      user: currentUser(),
      host: os.hostname(),
      workdir,
      agentPath,
      nodePath: jobNodePath(request),
      datasetRoot,
      seed: request.preset.generation.seed,
    },
    jobs: [],
  }));
  appendEvent(paths, { type: 'run_created', runId: paths.runId });
  const scheduler = schedulerFor(request.cluster.kind);
  const run = readRun(paths);
  const jobs: SubmitOutcome['jobs'] = [];
  const errors: SubmitOutcome['errors'] = [];
  // The run is listed from here on: a rerun or cancel of it waits until every first job is submitted.
  await withRunOperation(paths, async () => {
    for (const job of plan.jobs) {
      const r = await submitModelJob(paths, run, job.model, job.datasets, scheduler, undefined, opts.hfToken);
      if (r.ok) jobs.push({ model: job.model, jobId: r.attempt.jobId });
      else errors.push({ model: job.model, reason: r.reason });
    }
  });
  return { runId: paths.runId, paths, plan, jobs, errors };
}
