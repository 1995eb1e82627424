import type { PlanDataset } from '../../common/run/dataset-files';
import type { PlanResult } from '../../common/run/plan';
import type { RunRequest } from '../../common/run/request';
import { resolveHfHome } from '../models/hf-home';
import { inspectModels } from '../models/inspect';
import { planRequest } from './plan-request';

/** The client's Hugging Face token: sent (`value`, with submit) or only said to be held (`set`, with plan). */
export interface ClientToken {
  value?: string;
  set?: boolean;
}

/**
 * The plan of a request, with where each job's weights come from (plan.models). A model that cannot load — a
 * cluster path that is missing, a gated model without a token, a model not cached for a profile whose compute nodes
 * have no network — is an error here, before any job starts. Runs with an engine override load no weights.
 */
export async function planWithWeights(
  request: RunRequest,
  datasetRoot: string,
  workdir: string,
  selfCheckFailures?: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
  token: ClientToken = {},
): Promise<PlanResult & { files: PlanDataset[] }> {
  // A token the client sends (submit) is used to look at the Hub; one it only holds (plan) counts as set.
  if (token.value) env = { ...env, HF_TOKEN: token.value };
  const clientToken = token.value !== undefined || token.set === true;
  const planned = planRequest(
    request,
    { workdir, datasetRoot, ...(clientToken ? { hfTokenAvailable: true } : {}) },
    selfCheckFailures,
  );
  if (!planned.ok || request.engineOverride) return planned;
  let hfHome: string;
  try {
    hfHome = resolveHfHome(request.cluster, workdir, env);
  } catch (err) {
    return { ok: false, errors: [(err as Error).message], files: planned.files };
  }
  const inspection = await inspectModels(
    request.models,
    planned.plan.jobs.map((j) => j.model),
    { hfHome, offlineNodes: request.cluster.offlineNodes, env, clientToken },
  );
  if (inspection.errors.length) return { ok: false, errors: inspection.errors, files: planned.files };
  return { ok: true, plan: { ...planned.plan, models: inspection.models }, files: planned.files };
}
