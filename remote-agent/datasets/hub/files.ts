import type { HfDatasetPath } from '../../../common/catalog/hf-dataset-path';
import { HubHttpError, type HubHttp } from './http';

/** A data file of a split on the Hub, with the identity the tree API gives it (content hashes: the cache key). */
export interface HubFile {
  revision: string;
  path: string;
  size: number;
  /** Git blob SHA-1. */
  oid: string;
  /** SHA-256 of the content, for files stored with LFS (Parquet shards nearly always are). */
  sha256?: string;
}

export interface SplitFiles {
  files: HubFile[];
  /** Where they came from: the dataset viewer's Parquet conversion, or the repository's own files. */
  source: 'parquet conversion' | 'repository files';
  config?: string;
  /** The conversion stopped at 5 GB: only the first rows of the split exist as Parquet. */
  partial?: boolean;
}

interface TreeEntry {
  type: string;
  path: string;
  size?: number;
  oid?: string;
  lfs?: { oid?: string; size?: number };
}

export const PARQUET_REVISION = 'refs/convert/parquet';
const DATA_FILE = /\.(parquet|jsonl|ndjson|json|csv)(\.gz)?$/i;

/** The Hub's error for a repository it does not show to this caller: gated, private, or absent. */
export class HubAccessError extends Error {}

/** The split or config does not exist: the message lists the ones that do. */
export class HubSplitError extends Error {}

/** GET /api/datasets/{repo}/tree/{revision}/{path}: one directory (or all below it), following pagination. Undefined on 404. */
export async function listTree(
  http: HubHttp,
  repo: string,
  revision: string,
  dir: string,
  recursive: boolean,
): Promise<TreeEntry[] | undefined> {
  const segments = dir ? '/' + dir.split('/').map(encodeURIComponent).join('/') : '';
  let url: string | undefined =
    `${http.endpoint}/api/datasets/${repo}/tree/${encodeURIComponent(revision)}${segments}${recursive ? '?recursive=true' : ''}`;
  const entries: TreeEntry[] = [];
  try {
    while (url) {
      const page: { body: unknown; next?: string } = await http.getJson(url);
      if (!Array.isArray(page.body)) throw new HubHttpError(`the tree listing of ${repo} is not a list`, 200, url);
      entries.push(...(page.body as TreeEntry[]).filter((e) => e && typeof e.path === 'string'));
      url = page.next;
    }
  } catch (err) {
    if (err instanceof HubHttpError && err.status === 404 && err.code !== 'RepoNotFound') return undefined;
    throw asAccessError(http, repo, err);
  }
  return entries;
}

/** A 401/403/404 from the Hub as the precise error a user can act on; other errors unchanged. */
export function asAccessError(http: HubHttp, repo: string, err: unknown): unknown {
  if (
    err instanceof HubHttpError &&
    (err.status === 401 || err.status === 403 || err.code === 'GatedRepo' || err.code === 'RepoNotFound')
  )
    return accessError(http, repo, err);
  return err;
}

function accessError(http: HubHttp, repo: string, err: HubHttpError): HubAccessError {
  const page = `${http.endpoint}/datasets/${repo}`;
  if (err.status === 404) return new HubAccessError(`dataset ${repo} not found on ${http.endpoint} (${err.message})`);
  const why = http.hasToken
    ? `the token was refused (HTTP ${err.status}): accept the dataset's terms at ${page} with the account the token belongs to, or the repository is private or does not exist`
    : `no Hugging Face token is set (HTTP ${err.status}): accept the dataset's terms at ${page}, then set HF_TOKEN where the agent runs; or the repository is private or does not exist`;
  return new HubAccessError(`gated dataset: accept its terms and set HF_TOKEN — ${repo}: ${why}`);
}

function toHubFile(e: TreeEntry, revision: string): HubFile {
  return {
    revision,
    path: e.path,
    size: e.lfs?.size ?? e.size ?? 0,
    oid: e.oid ?? '',
    ...(e.lfs?.oid ? { sha256: e.lfs.oid } : {}),
  };
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The files of `config`/`split`: the dataset viewer's Parquet conversion (branch refs/convert/parquet,
 * `<config>/<split>/NNNN.parquet`) when it exists, which covers script-based and non-Parquet datasets alike; else the
 * repository's own data files on `main` whose name or folder is the split (`data/test-00000-of-00001.parquet`,
 * `test.jsonl`, `main/test-….parquet` for config "main").
 */
export async function listSplitFiles(
  http: HubHttp,
  spec: Required<Pick<HfDatasetPath, 'repo' | 'split'>> & { config?: string; revision?: string },
): Promise<SplitFiles> {
  const { repo, split } = spec;
  // A pinned revision names the repository's own files at that commit; the Parquet conversion follows main only.
  const root = spec.revision === undefined ? await listTree(http, repo, PARQUET_REVISION, '', false) : undefined;
  if (root) {
    const configs = root.filter((e) => e.type === 'directory').map((e) => e.path);
    const config =
      spec.config ?? (configs.includes('default') ? 'default' : configs.length === 1 ? configs[0] : undefined);
    if (config === undefined)
      throw new HubSplitError(
        `${repo} has several configs: name one as hf:${repo}:<config>@${split} (${configs.join(', ')})`,
      );
    if (!configs.includes(config))
      throw new HubSplitError(`${repo} has no config "${config}" (configs: ${configs.join(', ') || 'none'})`);
    const splits = (await listTree(http, repo, PARQUET_REVISION, config, false)) ?? [];
    const names = splits.filter((e) => e.type === 'directory').map((e) => e.path.slice(config.length + 1));
    const dirName = names.includes(split) ? split : names.includes(`partial-${split}`) ? `partial-${split}` : undefined;
    if (dirName === undefined)
      throw new HubSplitError(
        `${repo} config "${config}" has no split "${split}" (splits: ${names.join(', ') || 'none'})`,
      );
    const files = ((await listTree(http, repo, PARQUET_REVISION, `${config}/${dirName}`, false)) ?? []).filter(
      (e) => e.type === 'file' && /\.parquet$/i.test(e.path),
    );
    if (files.length === 0) throw new HubSplitError(`${repo} config "${config}" split "${split}" has no Parquet files`);
    return {
      files: files.sort(byPath).map((e) => toHubFile(e, PARQUET_REVISION)),
      source: 'parquet conversion',
      config,
      ...(dirName !== split ? { partial: true } : {}),
    };
  }
  const revision = spec.revision ?? 'main';
  const all = await listTree(http, repo, revision, '', true);
  if (!all)
    throw new HubAccessError(
      `dataset ${repo} not found on ${http.endpoint}${spec.revision !== undefined ? ` at revision "${spec.revision}"` : ''}`,
    );
  const data = all.filter((e) => e.type === 'file' && DATA_FILE.test(e.path));
  const inSplit = data.filter((e) => fileIsInSplit(e.path, split));
  const inConfig =
    spec.config && spec.config !== 'default'
      ? inSplit.filter((e) => e.path.split('/').slice(0, -1).includes(spec.config!))
      : inSplit;
  if (inConfig.length === 0) {
    const shown = data
      .slice(0, 10)
      .map((e) => e.path)
      .join(', ');
    throw new HubSplitError(
      `${repo}: no data file for ${spec.config ? `config "${spec.config}" ` : ''}split "${split}" (data files: ${shown || 'none'}${data.length > 10 ? ', …' : ''})`,
    );
  }
  const tops = new Set(inConfig.map((e) => topFolder(e.path)));
  if (!spec.config && tops.size > 1)
    throw new HubSplitError(
      `${repo}: split "${split}" exists in several folders (${[...tops].join(', ')}): name the config as hf:${repo}:<folder>@${split}`,
    );
  return {
    files: inConfig.sort(byPath).map((e) => toHubFile(e, revision)),
    source: 'repository files',
    ...(spec.config ? { config: spec.config } : {}),
  };
}

/** `test.jsonl`, `test-00000-of-00001.parquet`, `data/test/…`, `gsm8k_test.jsonl`: the datasets library's split naming. */
export function fileIsInSplit(filePath: string, split: string): boolean {
  const parts = filePath.split('/');
  const base = parts[parts.length - 1]!.replace(DATA_FILE, '');
  if (parts.slice(0, -1).includes(split)) return true;
  const words = base.split(/[-_.]/);
  return base === split || words.includes(split) || base.startsWith(`${split}-`) || base.startsWith(`${split}_`);
}

function topFolder(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, p.indexOf('/'));
}
