import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';

/**
 * Exclusive lock files (O_EXCL create) for read-modify-write of a run's shared files by the submitter, reruns and
 * the jobs, which may run on different hosts over NFS.
 *
 * The file holds `pid\nhost\ntoken\n`. A holder that keeps the lock across awaits refreshes its mtime every
 * `staleMs / 4` (a heartbeat), so slow work never loses it. A waiter breaks a lock only when its holder is dead:
 * on the same host, when its pid no longer exists; otherwise when the lock's mtime and content have not changed for
 * `staleMs` measured on the waiter's own clock — never by comparing the file's mtime with the local clock, which
 * NFS clock skew would fool. (A lock of an older agent, `pid\n` only, never refreshed, is also stale once its mtime
 * is `staleMs` old, as before.)
 */
export interface LockOptions {
  /** How long a lock must look abandoned before it is broken (default 30 s). */
  staleMs?: number;
  /** How long to wait for the lock before giving up. */
  timeoutMs?: number;
}

export class LockTimeoutError extends Error {}

const DEFAULT_STALE_MS = 30_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** What a waiter last saw of the lock, and since when (its own monotonic clock). */
interface Seen {
  signature?: string;
  since: number;
}

interface LockContent {
  raw: string;
  mtimeMs: number;
  pid?: number;
  host?: string;
  token?: string;
}

/** Content and mtime of the lock, read through a fresh open (NFS revalidates attributes on open), or undefined when it is gone. */
function readLock(lockFile: string): LockContent | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const mtimeMs = fs.fstatSync(fd).mtimeMs;
    const raw = fs.readFileSync(fd, 'utf8');
    const [pid, host, token] = raw.split('\n');
    const n = Number(pid);
    return {
      raw,
      mtimeMs,
      ...(Number.isInteger(n) && n > 0 ? { pid: n } : {}),
      ...(host ? { host } : {}),
      ...(token ? { token } : {}),
    };
  } finally {
    fs.closeSync(fd);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the lock in its current state may be broken, or undefined while its holder may be alive. */
function staleness(lock: LockContent, seen: Seen, staleMs: number): string | undefined {
  if (lock.pid !== undefined && lock.host === os.hostname() && !pidAlive(lock.pid))
    return `its holder (pid ${lock.pid}) is gone`;
  if (lock.token === undefined && Date.now() - lock.mtimeMs > staleMs)
    return 'an old-style lock not refreshed for its stale time';
  const signature = `${lock.mtimeMs}\n${lock.raw}`;
  const now = performance.now();
  if (seen.signature !== signature) {
    Object.assign(seen, { signature, since: now });
    return undefined;
  }
  return now - seen.since >= staleMs ? `unchanged for ${Math.round((now - seen.since) / 1000)} s` : undefined;
}

/** Removes a stale lock unless it changed since it was judged stale (a new holder took it meanwhile). */
function breakLock(lockFile: string, judged: LockContent): void {
  const now = readLock(lockFile);
  if (now && now.raw === judged.raw && now.mtimeMs === judged.mtimeMs) fs.rmSync(lockFile, { force: true });
}

function tryCreate(lockFile: string, token: string): boolean {
  try {
    const fd = fs.openSync(lockFile, 'wx');
    try {
      fs.writeSync(fd, `${process.pid}\n${os.hostname()}\n${token}\n`);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

/** One attempt: true when the lock is now ours; breaks a stale lock on the way. */
function attempt(lockFile: string, token: string, seen: Seen, staleMs: number): boolean {
  if (tryCreate(lockFile, token)) return true;
  const lock = readLock(lockFile);
  if (lock === undefined) return tryCreate(lockFile, token);
  if (staleness(lock, seen, staleMs) !== undefined) {
    breakLock(lockFile, lock);
    delete seen.signature;
    return tryCreate(lockFile, token);
  }
  return false;
}

function timeoutError(lockFile: string, timeoutMs: number): LockTimeoutError {
  const lock = readLock(lockFile);
  const who = lock?.pid !== undefined ? ` (held by pid ${lock.pid}${lock.host ? ` on ${lock.host}` : ''})` : '';
  return new LockTimeoutError(`could not lock ${lockFile} within ${timeoutMs} ms${who}`);
}

/** Releases a lock only while it is still ours (a lock broken as stale and taken by another is theirs). */
function release(lockFile: string, token: string): boolean {
  const lock = readLock(lockFile);
  if (lock?.token !== token) return false;
  fs.rmSync(lockFile, { force: true });
  return true;
}

function options(opts: number | LockOptions | undefined, defaultTimeoutMs: number): Required<LockOptions> {
  const o = typeof opts === 'number' ? { timeoutMs: opts } : (opts ?? {});
  const staleMs = o.staleMs ?? (Number(process.env.EVALBENCH_LOCK_STALE_MS) || DEFAULT_STALE_MS);
  return { staleMs, timeoutMs: o.timeoutMs ?? Math.max(defaultTimeoutMs, staleMs * 1.5) };
}

/**
 * Runs a short synchronous `fn` under the lock (a read-modify-write of one file). Nothing can refresh the lock while
 * `fn` runs, so `fn` must not take anywhere near the stale time. Waits up to 1.5 × the stale time by default, so a
 * lock whose holder died on another host is broken within one call.
 */
export function withFileLock<T>(lockFile: string, fn: () => T, opts?: number | LockOptions): T {
  const { staleMs, timeoutMs } = options(opts, 20_000);
  const token = crypto.randomBytes(8).toString('hex');
  const deadline = Date.now() + timeoutMs;
  const seen: Seen = { since: 0 };
  while (!attempt(lockFile, token, seen, staleMs)) {
    if (Date.now() > deadline) throw timeoutError(lockFile, timeoutMs);
    Atomics.wait(sleeper, 0, 0, 10 + Math.floor(Math.random() * 20));
  }
  try {
    return fn();
  } finally {
    release(lockFile, token);
  }
}

/**
 * Runs `fn` under the lock for as long as it takes: the lock's mtime is refreshed every `staleMs / 4` while `fn`
 * runs, so other processes never take it over from a slow holder. Waiting does not block the event loop.
 */
export async function withFileLockAsync<T>(lockFile: string, fn: () => Promise<T>, opts?: LockOptions): Promise<T> {
  const { staleMs, timeoutMs } = options(opts, 120_000);
  const token = crypto.randomBytes(8).toString('hex');
  const deadline = Date.now() + timeoutMs;
  const seen: Seen = { since: 0 };
  while (!attempt(lockFile, token, seen, staleMs)) {
    if (Date.now() > deadline) throw timeoutError(lockFile, timeoutMs);
    await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 30)));
  }
  let lost = false;
  const heartbeat = setInterval(
    () => {
      try {
        if (readLock(lockFile)?.token !== token) {
          lost = true;
          return;
        }
        const now = new Date();
        fs.utimesSync(lockFile, now, now);
      } catch {
        // A failed refresh is retried on the next beat; a lock that vanished is noticed there.
      }
    },
    Math.max(10, Math.floor(staleMs / 4)),
  );
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    if (!release(lockFile, token) || lost)
      process.stderr.write(`evalbench: warning: the lock ${lockFile} was taken over by another process while held\n`);
  }
}
