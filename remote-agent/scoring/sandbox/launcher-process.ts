import { spawn, type ChildProcess } from 'child_process';
import type { Readable, Writable } from 'stream';
import type { LauncherReady } from './isolation';
import { POOL } from './launcher-pool-source';
import { BOOT, LAUNCHER, LAUNCHER_DEFINITIONS, LAUNCHER_MAIN } from './launcher-source';

/** What one launcher is told at start (its argv[1]). */
export interface LauncherArgs {
  mode: 'auto' | 'none';
  root: string;
  uid: number;
  gid: number;
  soloUid: number;
}

/** The launcher starts with nothing of the agent's environment (samples could read it through /proc otherwise). */
const LAUNCHER_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };

/**
 * One launcher, spawned by the agent or forked by a launcher pool: its stdin (jobs), stdout (answers) and stderr. It
 * has exited once its stdout closed: only the launcher holds the other end (its zygote and test process hold
 * /dev/null there).
 */
export class LauncherProcess {
  private pidKnown?: number;
  private ended = false;
  private killWhenKnown = false;
  private readonly onEnd: Array<() => void> = [];

  constructor(
    readonly stdin: Writable,
    readonly stdout: Readable,
    readonly stderr: Readable,
    private readonly child?: ChildProcess,
  ) {
    stdin.on('error', () => undefined);
    stdout.once('close', () => {
      this.ended = true;
      for (const f of this.onEnd.splice(0)) f();
    });
    // A launcher that cannot be spawned at all ends like one that exited before it was ready.
    child?.on('error', () => stdout.destroy());
    if (child?.pid) this.pidKnown = child.pid;
  }

  get exited(): boolean {
    return this.ended;
  }

  /** Runs once the launcher has exited (at once if it has). */
  whenExited(f: () => void): void {
    if (this.ended) f();
    else this.onEnd.push(f);
  }

  /** Set by the pool once it reports the pids it forked. */
  knownAs(pid: number): void {
    this.pidKnown = pid;
    if (this.killWhenKnown) this.kill();
  }

  /** Its first line: ready (with how it isolates samples) or not (with why); undefined when it exited or said nothing readable. */
  ready(): Promise<(LauncherReady & { ready: true }) | { ready: false; error: string } | undefined> {
    return new Promise((resolve) => {
      let buf = '';
      const onData = (d: Buffer): void => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        this.stdout.off('data', onData);
        this.stdout.off('close', onExit);
        this.stdout.pause();
        try {
          resolve(JSON.parse(buf.slice(0, nl)) as (LauncherReady & { ready: true }) | { ready: false; error: string });
        } catch {
          resolve(undefined);
        }
      };
      const onExit = (): void => resolve(undefined);
      this.stdout.on('data', onData);
      this.stdout.once('close', onExit);
    });
  }

  /** SIGKILL to the launcher's process group; its zygote, samples and test process die with it (parent-death signal). */
  kill(): void {
    if (this.ended) return;
    if (this.pidKnown === undefined) {
      this.killWhenKnown = true;
      return;
    }
    try {
      process.kill(-this.pidKnown, 'SIGKILL');
    } catch {
      this.child?.kill('SIGKILL');
    }
  }

  /** An idle launcher must not keep the agent's process alive: a CLI that forgets close() still exits. */
  setRef(on: boolean): void {
    for (const h of [this.child, this.stdout, this.stderr, this.stdin] as Array<{
      ref?: () => void;
      unref?: () => void;
    } | null>) {
      if (on) h?.ref?.();
      else h?.unref?.();
    }
  }
}

/** One launcher in an interpreter of its own: the source comes on fd 3, a pipe (no file a sample could replace). */
export function spawnLauncher(python: string, args: LauncherArgs): LauncherProcess {
  const proc = spawn(python, ['-I', '-S', '-c', BOOT, JSON.stringify(args)], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: LAUNCHER_ENV,
    cwd: args.root,
    detached: true,
  });
  const source = proc.stdio[3] as Writable;
  source.on('error', () => undefined);
  source.end(LAUNCHER);
  return new LauncherProcess(proc.stdin!, proc.stdout!, proc.stderr!, proc);
}

export interface LauncherPool {
  launchers: LauncherProcess[];
  /** Resolves once the pool has exited: after the last of its launchers (it reaps them), so nothing is left behind. */
  ended(): Promise<void>;
}

/**
 * Several launchers forked from one interpreter that loaded everything they share once (see launcher-pool-source).
 * Each is the same as a spawned one from the moment it runs; a pool that fails leaves its launchers' stdout closed,
 * so they count as exited before they were ready.
 */
export function spawnLauncherPool(python: string, slots: LauncherArgs[]): LauncherPool {
  const pool = spawn(python, ['-I', '-S', '-c', POOL, JSON.stringify(slots)], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', ...slots.flatMap(() => ['pipe', 'pipe', 'pipe'] as const)],
    env: LAUNCHER_ENV,
    cwd: slots[0]!.root,
    detached: true,
  });
  const source = pool.stdio[3] as Writable;
  source.on('error', () => undefined);
  source.end(JSON.stringify({ definitions: LAUNCHER_DEFINITIONS, main: LAUNCHER_MAIN }));
  const launchers = slots.map(
    (_, i) =>
      new LauncherProcess(
        pool.stdio[4 + 3 * i] as Writable,
        pool.stdio[5 + 3 * i] as Readable,
        pool.stdio[6 + 3 * i] as Readable,
      ),
  );
  let reported = '';
  pool.stdout!.on('data', (d: Buffer) => {
    reported += d.toString();
    const nl = reported.indexOf('\n');
    if (nl < 0) return;
    try {
      const { pids } = JSON.parse(reported.slice(0, nl)) as { pids: number[] };
      pids.forEach((pid, i) => launchers[i]?.knownAs(pid));
    } catch {
      // A pool that cannot say its pids has failed: its launchers' stdout close and they are replaced.
    }
  });
  pool.stderr!.resume();
  const exited = new Promise<void>((resolve) => {
    pool.once('exit', () => resolve());
    pool.once('error', () => resolve());
  });
  // The pool only reaps: it never keeps the agent alive, and it dies with the agent (parent-death signal).
  pool.unref();
  for (const h of [pool.stdout, pool.stderr] as Array<{ unref?: () => void } | null>) h?.unref?.();
  return {
    launchers,
    ended: () => {
      pool.ref();
      return exited;
    },
  };
}
