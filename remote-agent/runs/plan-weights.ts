import type { PlanDataset } from '../../src/common/run/dataset-files';
import type { PlanResult } from '../../src/common/run/plan';
import type { RunRequest } from '../../src/common/run/request';
import { resolveHfHome } from '../models/hf-home';
import { inspectModels } from '../models/inspect';
import { planRequest } from './plan-request';

/**
 * The plan of a request, with where each job's weights come from (plan.models). A model that cannot load — a
 * cluster path that is missing, a gated model without a token, a model not cached for a profile whose compute nodes
 * have no network — is an error here, before any job starts. Runs with an engine override load no weights.
 */
export async function planWithWeights(request: RunRequest, datasetRoot: string, workdir: string, selfCheckFailures?: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Promise<PlanResult & { files: PlanDataset[] }> {
  const planned = planRequest(request, { workdir, datasetRoot }, selfCheckFailures);
  if (!planned.ok || request.engineOverride) return planned;
  let hfHome: string;
  try {
    hfHome = resolveHfHome(request.cluster, workdir, env);
  } catch (err) {
    return { ok: false, errors: [(err as Error).message], files: planned.files };
  }
  const inspection = await inspectModels(request.models, planned.plan.jobs.map((j) => j.model), { hfHome, offlineNodes: request.cluster.offlineNodes, env });
  if (inspection.errors.length) return { ok: false, errors: inspection.errors, files: planned.files };
  return { ok: true, plan: { ...planned.plan, models: inspection.models }, files: planned.files };
}
