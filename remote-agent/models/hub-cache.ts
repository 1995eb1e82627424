import * as fs from 'fs';
import * as path from 'path';
import { hubRepoFolder } from '../../common/catalog/model-source';

/**
 * huggingface_hub's cache layout, which vLLM and Transformers read offline (file_download.py / constants.py):
 *   $HF_HOME/hub/models--org--name/blobs/<etag>                 the file's bytes, named by its normalized ETag
 *   $HF_HOME/hub/models--org--name/blobs/<etag>.incomplete      a download in progress (resumed with a Range request)
 *   $HF_HOME/hub/models--org--name/refs/<revision>              the commit a branch or tag resolved to
 *   $HF_HOME/hub/models--org--name/snapshots/<commit>/<file>    a relative symlink to ../../blobs/<etag>
 */
export const COMMIT = /^[0-9a-f]{40}$/;

export function hubCache(hfHome: string): string {
  return path.join(hfHome, 'hub');
}

export class RepoCache {
  readonly dir: string;

  constructor(
    hfHome: string,
    readonly repo: string,
  ) {
    this.dir = path.join(hubCache(hfHome), hubRepoFolder(repo));
  }

  blob(etag: string): string {
    return path.join(this.dir, 'blobs', etag);
  }

  ref(revision: string): string {
    return path.join(this.dir, 'refs', ...revision.split('/'));
  }

  snapshot(commit: string): string {
    return path.join(this.dir, 'snapshots', commit);
  }

  /** The commit a revision stands for in the cache: a commit hash itself, else refs/<revision>; undefined when unknown. */
  commitOf(revision: string): string | undefined {
    if (COMMIT.test(revision)) return revision;
    try {
      const c = fs.readFileSync(this.ref(revision), 'utf8').trim();
      return COMMIT.test(c) ? c : undefined;
    } catch {
      return undefined;
    }
  }

  /** A snapshot file that is a symlink to an existing blob (what a reader can open). */
  hasFile(commit: string, file: string): boolean {
    try {
      return fs.statSync(path.join(this.snapshot(commit), ...file.split('/'))).isFile();
    } catch {
      return false;
    }
  }

  /** snapshots/<commit>/<file> → ../../blobs/<etag> (relative, as huggingface_hub's _create_symlink writes it). */
  link(commit: string, file: string, etag: string): void {
    const dest = path.join(this.snapshot(commit), ...file.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const target = path.relative(path.dirname(dest), this.blob(etag));
    try {
      if (fs.readlinkSync(dest) === target) return;
      fs.rmSync(dest, { force: true });
    } catch {
      // absent: create it
    }
    fs.symlinkSync(target, dest);
  }

  writeRef(revision: string, commit: string): void {
    if (revision === commit) return;
    const file = this.ref(revision);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, commit);
    fs.renameSync(tmp, file);
  }
}

/**
 * Whether a snapshot holds what an engine loads, judged from the files alone (for when the Hub cannot be asked):
 * config.json and the weights (every shard a *.index.json names, else one whole file), or an adapter's config and
 * weights.
 */
export function snapshotLooksComplete(cache: RepoCache, commit: string): boolean {
  const has = (f: string): boolean => cache.hasFile(commit, f);
  if (has('adapter_config.json')) return has('adapter_model.safetensors') || has('adapter_model.bin');
  if (!has('config.json')) return false;
  for (const index of ['model.safetensors.index.json', 'pytorch_model.bin.index.json']) {
    if (!has(index)) continue;
    try {
      const map =
        (
          JSON.parse(fs.readFileSync(path.join(cache.snapshot(commit), index), 'utf8')) as {
            weight_map?: Record<string, string>;
          }
        ).weight_map ?? {};
      const shards = [...new Set(Object.values(map))];
      return shards.length > 0 && shards.every(has);
    } catch {
      return false;
    }
  }
  return has('model.safetensors') || has('pytorch_model.bin');
}
