import * as fs from 'fs';
import * as path from 'path';
import { parseHfDatasetPath } from '../../../common/catalog/hf-dataset-path';
import { readRecords } from '../read-records';
import {
  cachedEntry,
  cacheKey,
  createEntry,
  newestEntry,
  RECORDS_FILE,
  splitCacheDir,
  type CacheSource,
} from './cache';
import { asAccessError, listSplitFiles, type HubFile } from './files';
import { DEFAULT_HUB_ENDPOINT, HubHttp, HubUnreachableError } from './http';
import { readParquetRows } from './parquet';
import { findHfToken } from './token';

export { hubCacheRoot } from './cache';
export { HubAccessError, HubSplitError } from './files';
export { HubHttpError, HubUnreachableError } from './http';

export interface HubFetchOptions {
  /** Root of the dataset cache (hubCacheRoot(workdir)). */
  cacheDir: string;
  /** Split to use when the path names none (the dataset's `split` field). */
  split?: string;
  /** The dataset's `revision`: read the repository's files at this branch, tag or commit. */
  revision?: string;
  /** Default: HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Default: findHfToken() (HF_TOKEN, HUGGING_FACE_HUB_TOKEN, the token file). */
  token?: string;
  /** Default: HF_HUB_OFFLINE / HF_DATASETS_OFFLINE set to 1/true: use the cache only. */
  offline?: boolean;
  retryDelaysMs?: number[];
  /** Progress lines for the job log (never the token). */
  log?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface HubDataset {
  /** records.jsonl in the cache: one JSON object per row, in shard order. */
  file: string;
  source: CacheSource;
  /** True when no download happened (an unchanged split, or offline). */
  fromCache: boolean;
}

/** A problem the user must fix (bad path, gated set, missing split, offline without a cached copy). */
export class HubDatasetError extends Error {}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/**
 * Makes `hf:owner/name[:config]@split` a local JSONL file: lists the split's files through the Hub's tree API,
 * reuses the cached rows when those files are unchanged, else downloads them (token sent to the Hub only), checks
 * their size and hash, reads Parquet/JSONL/JSON/CSV and writes the rows into a new cache entry. When the Hub cannot
 * be reached (a compute node without internet) the newest cached copy of the split is used, with a warning.
 */
export async function fetchHubDataset(hfPath: string, opts: HubFetchOptions): Promise<HubDataset> {
  const env = opts.env ?? process.env;
  const parsed = parseHfDatasetPath(hfPath);
  if (!parsed.ok) throw new HubDatasetError(parsed.message);
  const split = parsed.value.split ?? opts.split;
  if (!split)
    throw new HubDatasetError(
      `"${hfPath}" names no split: write hf:${parsed.value.repo}${parsed.value.config ? `:${parsed.value.config}` : ''}@test (or set the dataset's "split")`,
    );
  const spec = { ...parsed.value, split, ...(opts.revision !== undefined ? { revision: opts.revision } : {}) };
  const log = opts.log ?? (() => undefined);
  const dir = splitCacheDir(opts.cacheDir, spec);
  const offline = opts.offline ?? (truthy(env.HF_HUB_OFFLINE) || truthy(env.HF_DATASETS_OFFLINE));
  const useNewest = (why: string): HubDataset => {
    const cached = newestEntry(dir);
    if (!cached)
      throw new HubDatasetError(
        `${hfPath}: ${why}, and the split is not in the cache (${dir}); fetch it once where the Hub is reachable (e.g. a run on the login node)`,
      );
    log(`${hfPath}: ${why}; using the copy cached ${cached.source.fetchedAt} (${cached.source.rows} rows)`);
    return { file: cached.file, source: cached.source, fromCache: true };
  };
  if (offline) return useNewest('offline (HF_HUB_OFFLINE)');

  const http = new HubHttp({
    endpoint: opts.endpoint ?? (env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT),
    token: opts.token ?? findHfToken(env),
    retryDelaysMs: opts.retryDelaysMs,
  });
  let listing;
  try {
    listing = await listSplitFiles(http, spec);
  } catch (err) {
    if (err instanceof HubUnreachableError) return useNewest(err.message);
    throw err;
  }
  const key = cacheKey(listing.files);
  const hit = cachedEntry(dir, key);
  if (hit) {
    log(`${hfPath}: ${hit.source.rows} rows from the cache (${hit.file})`);
    return { ...hit, fromCache: true };
  }
  const bytes = listing.files.reduce((n, f) => n + f.size, 0);
  log(
    `${hfPath}: downloading ${listing.files.length} file${listing.files.length === 1 ? '' : 's'} (${(bytes / 1e6).toFixed(1)} MB, ${listing.source}${listing.partial ? ', partial: the conversion stopped at 5 GB' : ''})`,
  );
  const entry = await createEntry(dir, key, async (tmp) => {
    const out = fs.openSync(path.join(tmp, RECORDS_FILE), 'w');
    let rows = 0;
    try {
      for (const [i, f] of listing.files.entries()) {
        const local = path.join(tmp, `part-${i}${extensionOf(f.path)}`);
        await downloadChecked(http, spec.repo, f, local);
        for (const row of await readRows(local, f, log)) {
          fs.writeSync(out, JSON.stringify(row) + '\n');
          rows++;
        }
        fs.rmSync(local, { force: true });
      }
    } finally {
      fs.closeSync(out);
    }
    return {
      repo: spec.repo,
      ...(listing.config ? { config: listing.config } : {}),
      split,
      source: listing.source,
      ...(listing.partial ? { partial: true } : {}),
      files: listing.files,
      rows,
      fetchedAt: new Date().toISOString(),
    };
  });
  log(`${hfPath}: ${entry.source.rows} rows cached in ${entry.file}`);
  return { ...entry, fromCache: false };
}

function extensionOf(p: string): string {
  const m = /(\.[A-Za-z]+(\.gz)?)$/.exec(p);
  return m ? m[1]!.toLowerCase() : '';
}

/** GET …/resolve/<revision>/<path>, then the size and hash the tree announced must match what arrived. */
async function downloadChecked(http: HubHttp, repo: string, f: HubFile, dest: string): Promise<void> {
  const url = `${http.endpoint}/datasets/${repo}/resolve/${encodeURIComponent(f.revision)}/${f.path.split('/').map(encodeURIComponent).join('/')}`;
  let got;
  try {
    got = await http.download(url, dest);
  } catch (err) {
    throw asAccessError(http, repo, err);
  }
  if (f.size && got.size !== f.size)
    throw new HubDatasetError(`${repo}/${f.path}: downloaded ${got.size} bytes, the Hub lists ${f.size}`);
  if (f.sha256 && got.sha256 !== f.sha256)
    throw new HubDatasetError(`${repo}/${f.path}: SHA-256 ${got.sha256} does not match the Hub's ${f.sha256}`);
  if (!f.sha256 && f.oid && got.gitSha1 && got.gitSha1 !== f.oid)
    throw new HubDatasetError(`${repo}/${f.path}: git hash ${got.gitSha1} does not match the Hub's ${f.oid}`);
}

async function readRows(local: string, f: HubFile, log: (m: string) => void): Promise<Record<string, unknown>[]> {
  if (/\.parquet$/i.test(local)) {
    try {
      return await readParquetRows(local);
    } catch (err) {
      throw new HubDatasetError(`${f.path}: not a readable Parquet file: ${(err as Error).message}`);
    }
  }
  const read = readRecords(local);
  for (const p of read.problems.slice(0, 5)) log(`${f.path}:${p.line}: ${p.message} (skipped)`);
  return read.records.map((r) => r.value);
}
