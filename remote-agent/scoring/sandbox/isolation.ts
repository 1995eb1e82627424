import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const NOBODY = 65534;
const RUNS_AS_PROBE = 'import json, collections, itertools, math, re, heapq, functools';
/** "none" turns namespaces off (the way a node without user namespaces runs); "auto" uses them where the system allows. */
export type IsolationRequest = 'auto' | 'none';

export function requestedIsolation(option?: IsolationRequest): IsolationRequest {
  const env = process.env.EVALBENCH_SANDBOX_ISOLATION;
  if (option) return option;
  if (env === undefined || env === '' || env === 'auto') return 'auto';
  if (env === 'none') return 'none';
  throw new Error(`EVALBENCH_SANDBOX_ISOLATION must be "auto" or "none", not ${JSON.stringify(env)}`);
}

/** What the launcher reported once it started. */
export interface LauncherReady {
  namespaces: boolean;
  missing: string[];
  uid: number;
  python: string;
}

/** One line for the job log and the results: the isolation a run had, and plainly what it lacked. */
export function describeIsolation(r: LauncherReady, isRoot: boolean): { note: string; weak: boolean } {
  const who = isRoot ? `samples as uid ${r.uid}` : `samples as the agent's own user (uid ${r.uid})`;
  if (r.namespaces) {
    const ns = isRoot ? 'PID, network, mount and IPC namespaces' : 'user, PID, network, mount and IPC namespaces';
    return { note: `code sandbox: ${ns}; read-only file system except the sample's directory; ${who}`, weak: false };
  }
  const why = r.missing.join('; ') || 'namespaces unavailable';
  const lacks = isRoot
    ? 'network not isolated (refused only by the audit hook); world-writable directories guarded only by the audit hook; processes isolated by a separate uid'
    : "network not isolated (refused only by the audit hook); processes not isolated (signals to the user's other processes and their /proc refused only by the audit hook; no new processes: RLIMIT_NPROC); file system guarded only by the audit hook";
  return { note: `code sandbox: no namespaces on this node (${why}): ${lacks}; ${who}`, weak: true };
}

/**
 * Whether the interpreter can run as `uid` and import its standard library (it must be readable by an unprivileged
 * user): samples never run as root, so a root agent refuses rather than fall back.
 */
export function checkRunsAsAsync(python: string, uid: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-I', '-S', '-c', RUNS_AS_PROBE],
      { cwd: '/', uid, gid: uid, timeout: 20_000, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } },
      (error, _stdout, stderr) => {
        if (!error) return resolve(undefined);
        const code = typeof error.code === 'number' ? error.code : undefined;
        const why =
          code === undefined ? error.message : (stderr || `exit code ${code}`).trim().split('\n').slice(-1)[0];
        resolve(runsAsRefusal(python, uid, why ?? ''));
      },
    );
  });
}

function runsAsRefusal(python: string, uid: number, why: string): string {
  return `samples never run as root, and the sandbox's Python ${python} cannot run as the unprivileged uid ${uid}${uid === NOBODY ? ' (nobody)' : ''}: ${why}. Install a Python that every user can read and execute, or set the cluster profile's "python" to one`;
}

/** Sandbox roots are named evalbench-sandbox-<agent pid>-…; those of agents that died are removed at start. */
export function removeStaleRoots(tmpRoot: string): string[] {
  const removed: string[] = [];
  const me = process.getuid?.();
  let names: string[] = [];
  try {
    names = fs.readdirSync(tmpRoot);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^evalbench-sandbox-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    const dir = path.join(tmpRoot, name);
    try {
      if (me !== undefined && fs.lstatSync(dir).uid !== me) continue;
      if (alive(Number(m[1]))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another agent's cleanup got there first, or the directory is not ours to remove.
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Without namespaces a root agent gives each slot a uid of its own, so a sample's kill(-1) reaches only its own slot. */
export function soloUid(slot: number): number {
  return 1_900_000_000 + ((process.pid * 64) % 100_000_000) + slot;
}
