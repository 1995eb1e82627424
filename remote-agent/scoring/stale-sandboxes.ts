import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { errorMessage } from '../../common/error-message';

/**
 * Every sandbox root is a directory directly under the temp directory (`os.tmpdir()`, i.e. $TMPDIR, unless a
 * scorer is given another `tmpRoot`) whose name starts with this prefix. A root named
 * `evalbench-sandbox-<pid>-<anything>` belongs to the agent process <pid>; any other name after the prefix (the
 * `mkdtemp` suffix of older agents) has no known owner.
 */
export const SANDBOX_DIR_PREFIX = 'evalbench-sandbox-';

/** The prefix for a sandbox root owned by this process: `fs.mkdtempSync(path.join(tmp, sandboxDirPrefix()))`. */
export function sandboxDirPrefix(pid = process.pid): string {
  return `${SANDBOX_DIR_PREFIX}${pid}-`;
}

/** A root without an owner pid is only removed once nothing changed in it for this long (default 10 min). */
const UNOWNED_MIN_AGE_MS = 10 * 60_000;

export interface StaleSandboxOptions {
  /** Where sandbox roots are made (default `os.tmpdir()`). */
  tmpRoot?: string;
  unownedMinAgeMs?: number;
}

export interface StaleSandboxOutcome {
  removed: string[];
  /** Roots that looked stale but could not be removed (files of another uid inside), with the error. */
  failed: Array<{ dir: string; error: string }>;
}

/** A killed agent whose parent has not reaped it yet is a zombie: it still answers kill(0) but owns nothing. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories that a live process names on its command line or works in (a sandbox launcher, a sample still running). */
function directoriesInUse(): { has: (dir: string) => boolean } | undefined {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return undefined; // no /proc (macOS): nobody can be seen, so unowned roots are left alone
  }
  const seen: string[] = [];
  for (const pid of pids) {
    try {
      seen.push(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, '\n'));
    } catch {
      // Gone meanwhile.
    }
    try {
      seen.push(fs.readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // Another user's process, or gone.
    }
  }
  return { has: (dir) => seen.some((s) => s.includes(dir + path.sep) || s.split('\n').includes(dir) || s === dir) };
}

/**
 * Removes sandbox roots left behind by agents that were killed before they could close their sandbox (SIGKILL,
 * a job's time limit, a lost node). A root is stale when it is a real directory of this uid (any uid for root) and
 * - its name carries an owner pid that no longer exists on this host, or
 * - it carries none, nothing in it changed for `unownedMinAgeMs`, and no live process uses it.
 * Never fatal: what cannot be removed is reported.
 */
export function removeStaleSandboxes(opts: StaleSandboxOptions = {}): StaleSandboxOutcome {
  const root = opts.tmpRoot ?? os.tmpdir();
  const minAge = opts.unownedMinAgeMs ?? UNOWNED_MIN_AGE_MS;
  const out: StaleSandboxOutcome = { removed: [], failed: [] };
  let names: string[];
  try {
    names = fs.readdirSync(root).filter((n) => n.startsWith(SANDBOX_DIR_PREFIX));
  } catch {
    return out;
  }
  const uid = process.getuid?.();
  let inUse: ReturnType<typeof directoriesInUse>;
  let scanned = false;
  for (const name of names) {
    const dir = path.join(root, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch {
      continue;
    }
    // A root agent hands its sandbox to the samples' uid; anyone else removes only its own.
    if (!st.isDirectory() || (uid !== undefined && uid !== 0 && st.uid !== uid)) continue;
    const owner = /^(\d+)-/.exec(name.slice(SANDBOX_DIR_PREFIX.length));
    if (owner) {
      const pid = Number(owner[1]);
      if (pid === process.pid || pidAlive(pid)) continue;
    } else if (Date.now() - st.mtimeMs < minAge) continue;
    if (!scanned) {
      inUse = directoriesInUse();
      scanned = true;
    }
    if (inUse === undefined ? !owner : inUse.has(dir)) continue;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      out.removed.push(dir);
    } catch (err) {
      out.failed.push({ dir, error: errorMessage(err) });
    }
  }
  return out;
}

/** At agent start: clean up, and say what was removed (one line) on the given stream. */
export function removeStaleSandboxesAtStart(write: (line: string) => void): void {
  let r: StaleSandboxOutcome;
  try {
    r = removeStaleSandboxes();
  } catch (err) {
    write(`could not look for stale sandbox directories: ${errorMessage(err)}`);
    return;
  }
  if (r.removed.length)
    write(
      `removed ${r.removed.length} sandbox director${r.removed.length === 1 ? 'y' : 'ies'} left by killed agents: ${r.removed.join(', ')}`,
    );
  for (const f of r.failed) write(`could not remove stale sandbox directory ${f.dir}: ${f.error}`);
}
