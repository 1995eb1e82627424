import { createHash } from 'crypto';
import * as fs from 'fs';
import { HubHttpError, HubUnreachableError } from '../datasets/hub/http';

/** What the Hub's resolve endpoint says about a file before any byte moves (huggingface_hub's HfFileMetadata). */
export interface FileMetadata {
  commit: string;
  etag: string;
  size?: number;
}

export interface ResolveOptions {
  endpoint: string;
  token?: string;
  timeoutMs?: number;
  /** Aborts the request and its body stream (a cancelled fetch). */
  signal?: AbortSignal;
}

const MAX_REDIRECTS = 5;

/** huggingface_hub's _normalize_etag: drop a weak prefix and the quotes. */
export function normalizeEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/"/g, '');
}

/**
 * GET {endpoint}/{repo}/resolve/{revision}/{file} with redirects followed by hand: the Hub's first answer carries
 * X-Repo-Commit and X-Linked-Etag (or ETag) and X-Linked-Size; an LFS file then redirects to a CDN, which never sees
 * the token. `range` asks for the bytes from an offset (resuming a `.incomplete` blob).
 */
export async function resolveFile(
  opts: ResolveOptions,
  repo: string,
  revision: string,
  file: string,
  range?: number,
): Promise<{ meta: FileMetadata; res: Response }> {
  const origin = new URL(opts.endpoint).origin;
  let url = `${opts.endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
  let meta: Partial<FileMetadata> = {};
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'evalbench', 'accept-encoding': 'identity' };
    if (opts.token && new URL(url).origin === origin) headers.authorization = `Bearer ${opts.token}`;
    if (range) headers.range = `bytes=${range}-`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers,
        redirect: 'manual',
        signal: withTimeout(opts.signal, opts.timeoutMs ?? 30 * 60_000),
      });
    } catch (err) {
      throw new HubUnreachableError(`cannot reach ${new URL(url).origin} (${(err as Error).message})`);
    }
    if (new URL(url).origin === origin) {
      meta = {
        commit: res.headers.get('x-repo-commit') ?? meta.commit,
        etag: normalizeEtag(res.headers.get('x-linked-etag') ?? res.headers.get('etag')) ?? meta.etag,
        size: Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length') ?? NaN) || meta.size,
      };
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => undefined);
      url = new URL(location, url).toString();
      continue;
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // not JSON
      }
      throw new HubHttpError(
        `HTTP ${res.status} from ${url.split('?')[0]}: ${message}`,
        res.status,
        url,
        res.headers.get('x-error-code') ?? undefined,
      );
    }
    if (!meta.commit || !meta.etag)
      throw new HubHttpError(`the Hub sent no X-Repo-Commit or ETag for ${repo}/${file}`, res.status, url);
    // Both become file names in the cache: only content hashes are accepted (the Hub sends nothing else).
    if (!/^[0-9a-f]{40}$/.test(meta.commit) || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(meta.etag))
      throw new HubHttpError(
        `the Hub sent a commit or ETag that is not a hash for ${repo}/${file} (${JSON.stringify(meta.commit)}, ${JSON.stringify(meta.etag)})`,
        res.status,
        url,
      );
    return { meta: meta as FileMetadata, res };
  }
  throw new HubHttpError(`more than ${MAX_REDIRECTS} redirects for ${repo}/${file}`, 310, url);
}

function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * Streams a resolve response into `incomplete`, appending when the server honoured the Range (206), starting over
 * when it sent the whole file (200). Calls `progress` with the bytes on disk.
 */
export async function appendBody(
  res: Response,
  incomplete: string,
  progress: (bytes: number) => void,
): Promise<number> {
  const append = res.status === 206;
  const fd = fs.openSync(incomplete, append ? 'a' : 'w');
  let bytes = append ? fs.fstatSync(fd).size : 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      fs.writeSync(fd, chunk);
      bytes += chunk.length;
      progress(bytes);
    }
  } catch (err) {
    throw new HubUnreachableError(
      `the download broke off after ${bytes} bytes (${(err as Error).message}); run the fetch again to resume`,
    );
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/** The blob's name is its content hash: SHA-256 for LFS files (64 hex), the git blob SHA-1 otherwise (40 hex). Streamed: weights are large. */
export async function verifyBlob(file: string, etag: string): Promise<string | undefined> {
  const lfs = /^[0-9a-f]{64}$/.test(etag);
  if (!lfs && !/^[0-9a-f]{40}$/.test(etag)) return undefined;
  const hash = lfs ? createHash('sha256') : createHash('sha1').update(`blob ${fs.statSync(file).size}\0`);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const got = hash.digest('hex');
  return got === etag ? undefined : `${lfs ? 'SHA-256' : 'git hash'} ${got} does not match the Hub's ${etag}`;
}
