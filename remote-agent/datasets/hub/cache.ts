import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { HfDatasetPath } from '../../../common/catalog/hf-dataset-path';
import type { HubFile } from './files';

/**
 * The Hub dataset cache in the work directory:
 *   <workdir>/cache/datasets/<owner>/<name>/<config or _>/<split>/<key>/records.jsonl + source.json
 * `key` hashes the files' paths and content hashes, so a new revision of the data lands beside the old one and a
 * later run reuses an unchanged split without downloading. Entries appear by an atomic rename of a finished
 * directory: jobs of several models reading the same split at once never see half an entry.
 */
export const RECORDS_FILE = 'records.jsonl';
export const SOURCE_FILE = 'source.json';

export interface CacheSource {
  repo: string;
  config?: string;
  split: string;
  source: string;
  partial?: boolean;
  files: HubFile[];
  rows: number;
  fetchedAt: string;
}

export function hubCacheRoot(workdir: string): string {
  return path.join(workdir, 'cache', 'datasets');
}

export function splitCacheDir(root: string, spec: HfDatasetPath & { split: string }): string {
  const [owner, name] = spec.repo.split('/');
  return path.join(root, owner!, name!, spec.config ?? '_', spec.split);
}

export function cacheKey(files: HubFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.revision}\0${f.path}\0${f.sha256 ?? f.oid}\0${f.size}\n`);
  return h.digest('hex').slice(0, 16);
}

/** The complete entry with this key, if any. */
export function cachedEntry(dir: string, key: string): { file: string; source: CacheSource } | undefined {
  return readEntry(path.join(dir, key));
}

/** The most recently fetched complete entry of a split (for offline use). */
export function newestEntry(dir: string): { file: string; source: CacheSource; key: string } | undefined {
  let best: { file: string; source: CacheSource; key: string } | undefined;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return undefined;
  }
  for (const key of names) {
    const e = readEntry(path.join(dir, key));
    if (e && (!best || e.source.fetchedAt > best.source.fetchedAt)) best = { ...e, key };
  }
  return best;
}

function readEntry(entry: string): { file: string; source: CacheSource } | undefined {
  const file = path.join(entry, RECORDS_FILE);
  try {
    const source = JSON.parse(fs.readFileSync(path.join(entry, SOURCE_FILE), 'utf8')) as CacheSource;
    if (!fs.statSync(file).isFile()) return undefined;
    return { file, source };
  } catch {
    return undefined;
  }
}

/**
 * Builds an entry in a private temporary directory (`build` writes records.jsonl and returns the source facts), then
 * renames it into place. When another job won the race, its entry is used and this one is dropped.
 */
export async function createEntry(
  dir: string,
  key: string,
  build: (tmp: string) => Promise<CacheSource>,
): Promise<{ file: string; source: CacheSource }> {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(tmp);
  try {
    const source = await build(tmp);
    fs.writeFileSync(path.join(tmp, SOURCE_FILE), JSON.stringify(source, null, 2) + '\n');
    try {
      fs.renameSync(tmp, path.join(dir, key));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw err;
    }
    const entry = cachedEntry(dir, key);
    if (!entry) throw new Error(`the dataset cache entry ${path.join(dir, key)} is incomplete`);
    return entry;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
