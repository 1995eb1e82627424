import type { Model } from '../../common/catalog/model';
import { isClusterPath } from '../../common/catalog/model-source';
import { DEFAULT_HUB_ENDPOINT } from '../datasets/hub/http';
import { findHfToken } from '../datasets/hub/token';
import { fetchModel, type FetchProgress } from './fetch-model';
import { engineDescriptor } from '../../common/catalog/engines';

export interface FetchedSource {
  model: string;
  source: string;
  adapter?: string;
  revision: string;
  commit: string;
  snapshot: string;
  downloadedBytes: number;
  totalBytes: number;
}

export interface FetchCatalogOptions {
  hfHome: string;
  /** HF_ENDPOINT and the token (HF_TOKEN, HUGGING_FACE_HUB_TOKEN, the token file) come from here. */
  env?: NodeJS.ProcessEnv;
  /** The token the client sent (SecretStorage): wins over the environment's. Never logged or written. */
  token?: string;
  log?: (line: string) => void;
  onProgress?: (p: FetchProgress) => void;
  /** Stops the fetch between and inside files; a partial file stays `.incomplete` for the next fetch to resume. */
  signal?: AbortSignal;
  /** Each source once it is in the cache (the ones fetched before an error or a cancel are kept). */
  onFetched?: (s: FetchedSource) => void;
}

/**
 * Fetches the Hub weights of catalog models (each model's `hf` at its `revision`, and its Hub adapters) into the
 * cache under `hfHome`. Cluster paths are left alone: they are the user's own checkpoints. Stops at the first error,
 * keeping what was fetched (a rerun resumes).
 */
export async function fetchCatalogModels(
  models: Record<string, Model>,
  ids: string[],
  opts: FetchCatalogOptions,
): Promise<FetchedSource[]> {
  const env = opts.env ?? process.env;
  const endpoint = env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT;
  const token = opts.token ?? findHfToken(env);
  const out: FetchedSource[] = [];
  for (const id of ids) {
    const model = models[id]!;
    if (!engineDescriptor(model.backend).loadsWeights) continue;
    const sources = [
      { source: model.hf, revision: model.revision },
      ...Object.entries(model.adapters ?? {}).map(([adapter, source]) => ({ source, adapter, revision: undefined })),
    ];
    for (const s of sources) {
      if (isClusterPath(s.source)) continue;
      const got = await fetchModel({
        hfHome: opts.hfHome,
        repo: s.source,
        revision: s.revision,
        endpoint,
        token,
        log: opts.log,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      const fetched: FetchedSource = {
        model: id,
        source: s.source,
        ...('adapter' in s && s.adapter ? { adapter: s.adapter } : {}),
        revision: got.revision,
        commit: got.commit,
        snapshot: got.snapshot,
        downloadedBytes: got.downloadedBytes,
        totalBytes: got.totalBytes,
      };
      out.push(fetched);
      opts.onFetched?.(fetched);
    }
  }
  return out;
}
