import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_HUB_ENDPOINT, HubHttp, HubHttpError } from '../datasets/hub/http';
import { appendBody, resolveFile, verifyBlob } from './download-file';
import { engineFiles, modelInfo, shardsOfIndex, siblingSize, type RepoSibling } from './hub-api';
import { RepoCache } from './hub-cache';

export interface FetchProgress {
  repo: string;
  file: string;
  /** Bytes of the whole snapshot on disk so far, and in all. */
  doneBytes: number;
  totalBytes: number;
}

export interface FetchModelOptions {
  hfHome: string;
  repo: string;
  /** Branch, tag or commit (default main). */
  revision?: string;
  endpoint?: string;
  /** Sent to the Hub's own origin only; never written anywhere. */
  token?: string;
  log?: (line: string) => void;
  onProgress?: (p: FetchProgress) => void;
  /** Aborts the download in flight; what is on disk stays (a `.incomplete` blob is resumed next time). */
  signal?: AbortSignal;
}

export interface FetchedModel {
  repo: string;
  revision: string;
  commit: string;
  snapshot: string;
  files: number;
  downloadedBytes: number;
  totalBytes: number;
}

/** Access refused (gated or private) or the repository / revision does not exist: the message says what to do. */
export class ModelAccessError extends Error {}

/** The fetch was stopped by its caller; the partial download stays for the next fetch to resume. */
export class FetchCancelledError extends Error {}

function throwIfCancelled(repo: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new FetchCancelledError(
      `fetching ${repo} was cancelled; what was downloaded stays in the cache and the next fetch resumes it`,
    );
}

export function accessMessage(repo: string, endpoint: string, hasToken: boolean, err: HubHttpError): string {
  if (err.status === 404 || err.code === 'RepoNotFound' || err.code === 'RevisionNotFound')
    return `model ${repo} not found on ${endpoint} (${err.message})`;
  return hasToken
    ? `gated model ${repo}: the token was refused (HTTP ${err.status}): accept the model's terms at ${endpoint}/${repo} with the account the token belongs to`
    : `gated model ${repo}: no Hugging Face token is set (HTTP ${err.status}): accept the model's terms at ${endpoint}/${repo}, then set the token (the extension's "Set Hugging Face Token", or HF_TOKEN where the agent runs)`;
}

function asAccessError(repo: string, endpoint: string, hasToken: boolean, err: unknown): unknown {
  if (err instanceof HubHttpError && [401, 403, 404].includes(err.status))
    return new ModelAccessError(accessMessage(repo, endpoint, hasToken, err));
  return err;
}

/**
 * Downloads the files an engine needs of one model revision into the Hugging Face cache under `hfHome`, in
 * huggingface_hub's layout. Files already in the snapshot are skipped; a blob another snapshot holds is linked; a
 * `.incomplete` blob left by an interrupted fetch is resumed with a Range request. Each blob is checked against its
 * content hash before it is renamed into place, and refs/<revision> is written last.
 */
export async function fetchModel(opts: FetchModelOptions): Promise<FetchedModel> {
  const endpoint = (opts.endpoint ?? DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
  const revision = opts.revision ?? 'main';
  const http = new HubHttp({ endpoint, token: opts.token });
  const log = opts.log ?? (() => undefined);
  const cache = new RepoCache(opts.hfHome, opts.repo);
  throwIfCancelled(opts.repo, opts.signal);
  let info;
  try {
    info = await modelInfo(http, opts.repo, revision);
  } catch (err) {
    throw asAccessError(opts.repo, endpoint, Boolean(opts.token), err);
  }
  const commit = info.sha;
  let files = engineFiles(info.siblings);
  const index = files.find((f) => f.rfilename.endsWith('.index.json'));
  const ctx = { opts, endpoint, cache, commit, log, done: 0, total: 0, downloaded: 0 };
  if (index) {
    await fetchFile(ctx, index);
    files = shardsOfIndex(files, fs.readFileSync(path.join(cache.snapshot(commit), index.rfilename), 'utf8'));
  }
  ctx.total = files.reduce((n, f) => n + siblingSize(f), 0);
  log(`${opts.repo}@${revision} (commit ${commit.slice(0, 12)}): ${files.length} files, ${mb(ctx.total)}`);
  for (const f of files) {
    throwIfCancelled(opts.repo, opts.signal);
    await fetchFile(ctx, f);
  }
  cache.writeRef(revision, commit);
  log(`${opts.repo}: snapshot ${cache.snapshot(commit)} (${mb(ctx.downloaded)} downloaded)`);
  return {
    repo: opts.repo,
    revision,
    commit,
    snapshot: cache.snapshot(commit),
    files: files.length,
    downloadedBytes: ctx.downloaded,
    totalBytes: ctx.total,
  };
}

interface Ctx {
  opts: FetchModelOptions;
  endpoint: string;
  cache: RepoCache;
  commit: string;
  log: (line: string) => void;
  done: number;
  total: number;
  downloaded: number;
}

async function fetchFile(ctx: Ctx, f: RepoSibling): Promise<void> {
  const { opts, cache, commit } = ctx;
  const size = siblingSize(f);
  const report = (bytes: number): void =>
    opts.onProgress?.({ repo: opts.repo, file: f.rfilename, doneBytes: ctx.done + bytes, totalBytes: ctx.total });
  if (cache.hasFile(commit, f.rfilename)) {
    ctx.done += size;
    report(0);
    return;
  }
  const listed = f.lfs?.sha256 ?? f.blobId;
  const known = listed && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(listed) ? listed : undefined;
  if (known && fs.existsSync(cache.blob(known))) {
    cache.link(commit, f.rfilename, known);
    ctx.done += size;
    report(0);
    return;
  }
  fs.mkdirSync(path.dirname(cache.blob('x')), { recursive: true });
  const partial = known ? statSize(`${cache.blob(known)}.incomplete`) : 0;
  let resolved;
  try {
    resolved = await resolveFile(
      { endpoint: ctx.endpoint, token: opts.token, signal: opts.signal },
      opts.repo,
      commit,
      f.rfilename,
      partial || undefined,
    );
  } catch (err) {
    throwIfCancelled(opts.repo, opts.signal);
    throw asAccessError(opts.repo, ctx.endpoint, Boolean(opts.token), err);
  }
  const { meta, res } = resolved;
  if (meta.commit !== commit)
    throw new HubHttpError(
      `${opts.repo}/${f.rfilename}: the Hub served commit ${meta.commit}, not ${commit}`,
      res.status,
      f.rfilename,
    );
  const blob = cache.blob(meta.etag);
  if (fs.existsSync(blob)) {
    await res.body?.cancel().catch(() => undefined);
  } else {
    const incomplete = `${blob}.incomplete`;
    if (partial) ctx.log(`${opts.repo}/${f.rfilename}: resuming at ${mb(partial)}`);
    let last = 0;
    try {
      await appendBody(res, incomplete, (bytes) => {
        if (Date.now() - last < 500) return;
        last = Date.now();
        report(bytes);
      });
    } catch (err) {
      throwIfCancelled(opts.repo, opts.signal);
      throw err;
    }
    const bad = await verifyBlob(incomplete, meta.etag);
    if (bad) {
      fs.rmSync(incomplete, { force: true });
      throw new Error(`${opts.repo}/${f.rfilename}: ${bad} (the partial download was removed; run the fetch again)`);
    }
    ctx.downloaded += statSize(incomplete) - partial;
    fs.renameSync(incomplete, blob);
  }
  cache.link(commit, f.rfilename, meta.etag);
  ctx.done += size;
  report(0);
  ctx.log(`${opts.repo}/${f.rfilename}: ${mb(size)}`);
}

function statSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
