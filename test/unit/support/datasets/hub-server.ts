import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server on 127.0.0.1 that answers like the Hugging Face Hub for datasets and models, so the tests exercise our Hub
 * client over real HTTP: GET /api/datasets/{repo}/tree/{revision}/{path}[?recursive=true] (entries with oid, size
 * and lfs.oid for LFS files; paginated through the Link header), GET /datasets/{repo}/resolve/{revision}/{path}
 * (302 to a second server on another port playing the CDN, as the Hub does for LFS files), the Hub's error shapes
 * (X-Error-Code RepoNotFound / RevisionNotFound / EntryNotFound / GatedRepo, JSON {"error": …}) and 401/403 for
 * gated repositories. Every request is recorded with its Authorization header.
 * Model repositories (set with `setModelFile`): GET /api/models/{repo}/revision/{rev}?blobs=true (sha, siblings with
 * size, blobId and lfs.sha256, gated), GET /{repo}/resolve/{rev}/{path} by branch or commit, answering with
 * X-Repo-Commit and ETag (git blob SHA-1) for regular files, or 302 to the CDN with X-Linked-Etag (SHA-256) and
 * X-Linked-Size for LFS files, as the real Hub does; Range requests get 206.
 */
export interface HubRepo {
  /** revision → file path → bytes */
  revisions: Record<string, Record<string, Buffer>>;
  /** Downloads need `Authorization: Bearer <token>`. */
  gatedToken?: string;
}

export interface SeenRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  authorization?: string;
}

export class FakeHub {
  readonly repos = new Map<string, HubRepo>();
  readonly requests: SeenRequest[] = [];
  /** Tree pages hold this many entries (Link rel="next" for the rest). */
  pageSize = 1000;
  /** Bytes the CDN serves instead of the real ones (a corrupted transfer). */
  tamper = new Map<string, Buffer>();
  /** Answer every request with this status (an outage). */
  failWith?: number;
  /** The CDN stops after this many bytes of the named file, once (a download that breaks off). */
  breakAfter = new Map<string, number>();
  /**
   * The CDN sends this many bytes of the named file, once, then holds the connection open without another byte
   * (a slow transfer the client cancels); `stalled` resolves with the file's name when that point is reached.
   */
  stallAfter = new Map<string, number>();
  private stallWaiters: Array<(name: string) => void> = [];
  /** Range headers the CDN and the Hub received, per request path. */
  readonly ranges: string[] = [];
  /** Model repositories (same shape as datasets'). */
  readonly models = new Map<string, HubRepo>();
  /** Answer the next `times` requests with `status` and this Retry-After header (a rate limit, a short outage). */
  outage?: { status: number; times: number; retryAfter?: string };
  private blobs = new Map<string, Buffer>();
  private blobNames = new Map<string, string>();
  private hub!: http.Server;
  private cdn!: http.Server;

  get url(): string {
    return `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`;
  }

  get cdnUrl(): string {
    return `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.hub = http.createServer((req, res) => this.onHub(req, res));
    this.cdn = http.createServer((req, res) => this.onCdn(req, res));
    await Promise.all([this.hub, this.cdn].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
    return this;
  }

  async close(): Promise<void> {
    for (const s of [this.hub, this.cdn]) s.closeAllConnections();
    await Promise.all([this.hub, this.cdn].map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  setFile(repo: string, revision: string, path: string, bytes: Buffer): void {
    const r = this.repos.get(repo) ?? { revisions: {} };
    (r.revisions[revision] ??= {})[path] = bytes;
    this.repos.set(repo, r);
  }

  setModelFile(repo: string, revision: string, path: string, bytes: Buffer): void {
    const r = this.models.get(repo) ?? { revisions: {} };
    (r.revisions[revision] ??= {})[path] = bytes;
    this.models.set(repo, r);
  }

  /** The commit a model branch resolves to: a hash of its files, so changing a file makes a new commit. */
  commitOf(repo: string, revision: string): string {
    const files = this.models.get(repo)?.revisions[revision] ?? {};
    const h = createHash('sha1').update(`${repo}\0${revision}`);
    for (const p of Object.keys(files).sort()) h.update(`\0${p}\0${sha256(files[p]!)}`);
    return h.digest('hex');
  }

  /** Resolves when the CDN holds a transfer of a `stallAfter` file. */
  stalled(): Promise<string> {
    return new Promise((resolve) => this.stallWaiters.push(resolve));
  }

  downloads(server: 'hub' | 'cdn' = 'cdn'): SeenRequest[] {
    return this.requests.filter((r) => r.server === server && (server === 'cdn' || r.path.includes('/resolve/')));
  }

  private onHub(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({
      server: 'hub',
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
    });
    if (this.failWith) return json(res, this.failWith, { error: 'Service Unavailable' });
    if (this.outage && this.outage.times > 0) {
      this.outage.times--;
      if (this.outage.retryAfter !== undefined) res.setHeader('retry-after', this.outage.retryAfter);
      return json(res, this.outage.status, {
        error: this.outage.status === 429 ? 'Too Many Requests' : 'Service Unavailable',
      });
    }
    const tree = /^\/api\/datasets\/([^/]+\/[^/]+)\/tree\/([^/]+)(?:\/(.*))?$/.exec(url.pathname);
    if (tree)
      return this.onTree(
        res,
        decodeURIComponent(tree[1]!),
        decodeURIComponent(tree[2]!),
        decodeURIComponent(tree[3] ?? ''),
        url,
      );
    const resolve = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve)
      return this.onResolve(
        req,
        res,
        decodeURIComponent(resolve[1]!),
        decodeURIComponent(resolve[2]!),
        decodeURIComponent(resolve[3]!),
      );
    const info = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (info) return this.onModelInfo(res, decodeURIComponent(info[1]!), decodeURIComponent(info[2]!));
    const modelFile = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (modelFile)
      return this.onModelResolve(
        req,
        res,
        decodeURIComponent(modelFile[1]!),
        decodeURIComponent(modelFile[2]!),
        decodeURIComponent(modelFile[3]!),
      );
    json(res, 404, { error: 'Not Found' });
  }

  private onTree(res: http.ServerResponse, repoId: string, revision: string, dir: string, url: URL): void {
    const repo = this.repos.get(repoId);
    if (!repo) return json(res, 404, { error: 'Repository not found' }, 'RepoNotFound');
    const files = repo.revisions[revision];
    if (!files) return json(res, 404, { error: `Invalid rev id: ${revision}` }, 'RevisionNotFound');
    const prefix = dir ? `${dir}/` : '';
    const below = Object.keys(files).filter((p) => p.startsWith(prefix));
    if (dir && below.length === 0)
      return json(res, 404, { error: `${dir} does not exist on "${revision}"` }, 'EntryNotFound');
    const recursive = url.searchParams.get('recursive') === 'true';
    const entries: unknown[] = [];
    const dirs = new Set<string>();
    for (const p of below.sort()) {
      const rest = p.slice(prefix.length).split('/');
      for (let depth = 1; depth < rest.length; depth++) {
        if (!recursive && depth > 1) break;
        const d = prefix + rest.slice(0, depth).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          entries.push({ type: 'directory', oid: sha1(d), size: 0, path: d });
        }
      }
      if (recursive || rest.length === 1) entries.push(fileEntry(p, files[p]!));
    }
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const page = entries.slice(start, start + this.pageSize);
    const headers: Record<string, string> = {};
    if (start + this.pageSize < entries.length) {
      const next = new URL(url);
      next.searchParams.set('cursor', String(start + this.pageSize));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    json(res, 200, page, undefined, headers);
  }

  private onResolve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    repoId: string,
    revision: string,
    path: string,
  ): void {
    const repo = this.repos.get(repoId);
    if (!repo) return json(res, 404, { error: 'Repository not found' }, 'RepoNotFound');
    if (repo.gatedToken !== undefined) {
      const auth = req.headers.authorization;
      const message = `Access to dataset ${repoId} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
      if (!auth) return json(res, 401, { error: message }, 'GatedRepo');
      if (auth !== `Bearer ${repo.gatedToken}`) return json(res, 403, { error: message }, 'GatedRepo');
    }
    const bytes = repo.revisions[revision]?.[path];
    if (!bytes) return json(res, 404, { error: 'Entry not found' }, 'EntryNotFound');
    const key = sha256(bytes);
    this.blobs.set(key, this.tamper.get(path) ?? bytes);
    res.writeHead(302, { location: `${this.cdnUrl}/blobs/${key}?signature=abc`, 'x-linked-etag': `"${key}"` });
    res.end();
  }

  private modelRevision(repoId: string, rev: string): { name: string; files: Record<string, Buffer> } | undefined {
    const repo = this.models.get(repoId);
    for (const [name, files] of Object.entries(repo?.revisions ?? {}))
      if (name === rev || this.commitOf(repoId, name) === rev) return { name, files };
    return undefined;
  }

  private onModelInfo(res: http.ServerResponse, repoId: string, rev: string): void {
    const repo = this.models.get(repoId);
    if (!repo) return json(res, 401, { error: 'Repository Not Found for url.' }, 'RepoNotFound');
    const r = this.modelRevision(repoId, rev);
    if (!r) return json(res, 404, { error: `Invalid rev id: ${rev}` }, 'RevisionNotFound');
    const siblings = Object.keys(r.files)
      .sort()
      .map((p) => {
        const b = r.files[p]!;
        return {
          rfilename: p,
          size: b.length,
          blobId: gitBlobSha1(b),
          ...(isLfs(p) ? { lfs: { sha256: sha256(b), size: b.length, pointerSize: 134 } } : {}),
        };
      });
    json(res, 200, {
      _id: sha1(repoId),
      id: repoId,
      sha: this.commitOf(repoId, r.name),
      private: false,
      gated: repo.gatedToken !== undefined ? 'manual' : false,
      siblings,
    });
  }

  private onModelResolve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    repoId: string,
    rev: string,
    path: string,
  ): void {
    const repo = this.models.get(repoId);
    if (!repo) return json(res, 401, { error: 'Repository Not Found for url.' }, 'RepoNotFound');
    if (repo.gatedToken !== undefined && req.headers.authorization !== `Bearer ${repo.gatedToken}`) {
      const message = `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
      return json(res, req.headers.authorization ? 403 : 401, { error: message }, 'GatedRepo');
    }
    const r = this.modelRevision(repoId, rev);
    if (!r) return json(res, 404, { error: `Invalid rev id: ${rev}` }, 'RevisionNotFound');
    const bytes = r.files[path];
    if (!bytes) return json(res, 404, { error: 'Entry not found' }, 'EntryNotFound');
    const commit = this.commitOf(repoId, r.name);
    if (isLfs(path)) {
      const key = sha256(bytes);
      this.blobs.set(key, this.tamper.get(path) ?? bytes);
      this.blobNames.set(key, path);
      res.writeHead(302, {
        location: `${this.cdnUrl}/blobs/${key}?signature=abc`,
        'x-repo-commit': commit,
        'x-linked-etag': `"${key}"`,
        'x-linked-size': String(bytes.length),
        etag: `"${gitBlobSha1(bytes)}"`,
      });
      return void res.end();
    }
    this.sendBytes(req, res, bytes, { 'x-repo-commit': commit, etag: `"${gitBlobSha1(bytes)}"` });
  }

  private sendBytes(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bytes: Buffer,
    headers: Record<string, string>,
    name?: string,
  ): void {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (req.headers.range) this.ranges.push(`${name ?? req.url}: ${req.headers.range}`);
    const from = range ? Number(range[1]) : 0;
    const body = bytes.subarray(from);
    const cut = name === undefined ? undefined : this.breakAfter.get(name);
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      ...(range ? { 'content-range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` } : {}),
      ...headers,
    });
    const stall = name === undefined ? undefined : this.stallAfter.get(name);
    if (stall !== undefined && stall < body.length) {
      this.stallAfter.delete(name!);
      res.write(body.subarray(0, stall), () => this.stallWaiters.splice(0).forEach((w) => w(name!)));
      return;
    }
    if (cut !== undefined && cut < body.length) {
      this.breakAfter.delete(name!);
      res.write(body.subarray(0, cut));
      return void setTimeout(() => res.destroy(), 20);
    }
    res.end(body);
  }

  private onCdn(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.cdnUrl);
    this.requests.push({
      server: 'cdn',
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
    });
    // A presigned storage URL rejects a request that also carries an Authorization header, as S3 does.
    if (req.headers.authorization) return json(res, 400, { error: 'Only one auth mechanism allowed' });
    const key = url.pathname.replace('/blobs/', '');
    const bytes = this.blobs.get(key);
    if (!bytes) return json(res, 404, { error: 'NoSuchKey' });
    this.sendBytes(req, res, bytes, {}, this.blobNames.get(key) ?? key);
  }
}

function isLfs(path: string): boolean {
  return /\.(parquet|safetensors|bin|pt|model)$/.test(path);
}

function fileEntry(path: string, bytes: Buffer): unknown {
  const base = { type: 'file', oid: gitBlobSha1(bytes), size: bytes.length, path };
  return /\.parquet$/.test(path)
    ? { ...base, size: bytes.length, lfs: { oid: sha256(bytes), size: bytes.length, pointerSize: 134 } }
    : base;
}

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  errorCode?: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(errorCode ? { 'x-error-code': errorCode } : {}),
    ...headers,
  });
  res.end(text);
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

export function gitBlobSha1(b: Buffer): string {
  return createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
}
