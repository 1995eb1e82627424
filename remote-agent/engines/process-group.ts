import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { OutputTail } from './output-tail';

/** A shell command running in its own process group, its output copied to a writable and kept in a tail. */
export interface EngineProcess {
  child: ChildProcess;
  pid: number;
  tail: OutputTail;
  /** Resolves once the leader has exited and its output pipes are drained: `exited with code 1`, `killed by SIGKILL`. */
  exited: Promise<string>;
  /** TERM the whole group, KILL it after `graceMs` if anything is left. Resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

const liveGroups = new Set<number>();
const OUTPUT_DRAIN_MS = 2000;
let exitHookInstalled = false;

// If the agent itself goes away, nothing it started may outlive it on a GPU node.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllEngineGroups);
}

/** SIGKILLs every engine group this agent started and has not stopped: for a signal handler on the way out. */
export function killAllEngineGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts `bash -c command` detached (a new process group), so stopping it takes every process the engine forked. */
export function startProcessGroup(command: string, env: NodeJS.ProcessEnv, output?: Writable): EngineProcess {
  installExitHook();
  const child = spawn('bash', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const tail = new OutputTail();
  const copy = (chunk: Buffer): void => {
    tail.push(chunk.toString('utf8'));
    if (output && !output.writableEnded && !output.destroyed) output.write(chunk);
  };
  child.stdout!.on('data', copy);
  child.stderr!.on('data', copy);
  const spawnFailed = new Promise<string>((resolve) =>
    child.once('error', (e) => resolve(`could not start bash: ${e.message}`)),
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // 'close' comes once both pipes are drained, so the tail holds the engine's last words; but a leftover grandchild
  // may hold the pipes open for ever, so the leader's 'exit' plus a short drain is enough.
  const leaderExited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code ?? '?'}`)),
  ).then(async (how) => {
    await Promise.race([closed, delay(OUTPUT_DRAIN_MS)]);
    return how;
  });
  const exited = Promise.race([leaderExited, spawnFailed]);
  const pid = child.pid ?? -1;
  if (pid > 0) liveGroups.add(pid);
  let leaderGone = false;
  void exited.then(() => {
    leaderGone = true;
  });

  const stop = async (graceMs = 15_000): Promise<void> => {
    if (pid <= 0) return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    // Wait for the whole group, not only bash: vLLM's workers are its grandchildren.
    while (Date.now() < deadline && (signalGroup(pid, 0) || !leaderGone)) await delay(50);
    signalGroup(pid, 'SIGKILL');
    await exited;
    liveGroups.delete(pid);
  };
  return { child, pid, tail, exited, stop };
}
