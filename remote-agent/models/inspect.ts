import * as fs from 'fs';
import { resolveColumn } from '../../common/catalog/adapters';
import type { Model } from '../../common/catalog/model';
import { expandClusterPath, isClusterPath } from '../../common/catalog/model-source';
import type { PlanModel } from '../../common/run/plan-schema';
import { DEFAULT_HUB_ENDPOINT, HubHttp, HubHttpError } from '../datasets/hub/http';
import { findHfToken } from '../datasets/hub/token';
import { mb } from './fetch-model';
import { engineFiles, modelInfo, siblingSize } from './hub-api';
import { RepoCache, snapshotLooksComplete } from './hub-cache';
import { engineDescriptor } from '../../common/catalog/engines';
import { errorMessage } from '../../common/error-message';

type Source = PlanModel['sources'][number];

export interface InspectOptions {
  hfHome: string;
  /** Compute nodes cannot reach the Hub: a Hub model not in the cache is an error. */
  offlineNodes?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The client holds a token it sends with fetch and submit (the plan itself never gets it). */
  clientToken?: boolean;
}

export interface ModelInspection {
  models: PlanModel[];
  /** Problems that block submission (a job would certainly fail). */
  errors: string[];
}

/**
 * Looks, on the login node, where each model column's weights will come from: the Hugging Face cache under HF_HOME
 * (cheap, no network), else the Hub (commit, bytes to download, gated), else the cluster directory it names.
 */
export async function inspectModels(
  models: Record<string, Model>,
  columns: string[],
  opts: InspectOptions,
): Promise<ModelInspection> {
  const env = opts.env ?? process.env;
  const token = findHfToken(env);
  const http = new HubHttp({
    endpoint: env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT,
    token,
    retryDelaysMs: [],
    timeoutMs: 15_000,
  });
  const seen = new Map<string, Source>();
  const out: ModelInspection = { models: [], errors: [] };
  for (const column of columns) {
    const c = resolveColumn(models, column);
    if (!c || !engineDescriptor(c.model.backend).loadsWeights) continue;
    const wanted: Array<{ source: string; revision?: string; adapter?: string }> = [
      { source: c.model.hf, revision: c.model.revision },
    ];
    if (c.adapter) wanted.push({ source: c.adapter.source, adapter: c.adapter.name });
    const sources: Source[] = [];
    for (const w of wanted) {
      const key = `${w.source}@${w.revision ?? ''}`;
      const s =
        seen.get(key) ?? (await inspectSource(w.source, w.revision, opts.hfHome, http, env, opts.clientToken === true));
      seen.set(key, s);
      sources.push({ ...s, ...(w.adapter ? { adapter: w.adapter } : {}) });
      const what = `model "${column}"${w.adapter ? ` (adapter ${w.adapter})` : ''}`;
      if (s.state === 'path_missing' || s.state === 'gated') out.errors.push(`${what}: ${s.message}`);
      else if (opts.offlineNodes && (s.state === 'download' || s.state === 'unknown' || s.state === 'not_found')) {
        out.errors.push(
          `${what}: ${w.source} is not in the Hugging Face cache (${opts.hfHome}) and the profile's compute nodes have no network ("offlineNodes"): fetch it first (evalbench fetch --models ${c.baseId})`,
        );
      }
    }
    out.models.push({
      model: column,
      hfHome: opts.hfHome,
      offline: sources.every((s) => s.state === 'cached' || s.state === 'path'),
      sources,
    });
  }
  return out;
}

async function inspectSource(
  source: string,
  revision: string | undefined,
  hfHome: string,
  http: HubHttp,
  env: NodeJS.ProcessEnv,
  clientToken: boolean,
): Promise<Source> {
  const base = { source, ...(revision ? { revision } : {}) };
  if (isClusterPath(source)) {
    const expanded = expandClusterPath(source, env);
    if (!expanded.ok)
      return {
        ...base,
        state: 'path_unchecked',
        message: `cluster path, not checked: $${expanded.variable} is not set on the login node (it is expanded in the job)`,
      };
    const exists = isDirectory(expanded.path);
    return exists
      ? { ...base, state: 'path', path: expanded.path, message: `cluster path ${expanded.path}` }
      : {
          ...base,
          state: 'path_missing',
          path: expanded.path,
          message: `local path missing: ${expanded.path} is not a directory on the cluster`,
        };
  }
  const rev = revision ?? 'main';
  const cache = new RepoCache(hfHome, source);
  const commit = cache.commitOf(rev);
  if (commit && snapshotLooksComplete(cache, commit))
    return {
      ...base,
      state: 'cached',
      commit,
      path: cache.snapshot(commit),
      message: `cached in ${cache.snapshot(commit)}`,
    };
  try {
    const info = await modelInfo(http, source, rev);
    const files = engineFiles(info.siblings).filter(
      (f) => !cache.hasFile(info.sha, f.rfilename) && !f.rfilename.startsWith('consolidated'),
    );
    const bytes = files.reduce((n, f) => n + siblingSize(f), 0);
    if (info.gated && !http.hasToken && !clientToken)
      return {
        ...base,
        state: 'gated',
        commit: info.sha,
        bytes,
        message: `gated without token: ${source} is gated on ${http.endpoint} and no Hugging Face token is set: accept its terms there, then set the token`,
      };
    return {
      ...base,
      state: 'download',
      commit: info.sha,
      bytes,
      message: `to download: ${mb(bytes)} in ${files.length} files (commit ${info.sha.slice(0, 12)})`,
    };
  } catch (err) {
    if (err instanceof HubHttpError && (err.status === 401 || err.status === 404))
      return {
        ...base,
        state: 'not_found',
        message: `not in the cache, and ${http.endpoint} does not show ${source}${revision ? `@${revision}` : ''} (HTTP ${err.status}: private, misspelled, or no such revision)`,
      };
    return {
      ...base,
      state: 'unknown',
      message: `not in the cache; the Hub could not be asked for its size (${errorMessage(err)})`,
    };
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
