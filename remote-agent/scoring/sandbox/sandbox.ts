import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { resolveInterpreter, type Interpreter } from './interpreter';
import {
  checkRunsAsAsync,
  describeIsolation,
  NOBODY,
  removeStaleRoots,
  requestedIsolation,
  soloUid,
  type IsolationRequest,
} from './isolation';
import {
  LauncherProcess,
  spawnLauncher,
  spawnLauncherPool,
  type LauncherArgs,
  type LauncherPool,
} from './launcher-process';
import { DEFAULT_LIMITS, type SandboxJob, type SandboxLimits, type SandboxResult } from './sandbox-job';

export interface SandboxInfo {
  python: Interpreter;
  /** Namespaces (user when not root, PID, network, mount, IPC) or none. */
  mode: 'namespaces' | 'none';
  /** The uid samples run as. */
  uid: number;
  /** One line saying how samples were isolated and, plainly, what protection this node could not give. */
  note: string;
  /** True when protections were missing: the note then belongs in the results. */
  weak: boolean;
}

export interface SandboxOptions {
  python?: string;
  tmpRoot?: string;
  workers?: number;
  limits?: Partial<SandboxLimits>;
  /** Default: $EVALBENCH_SANDBOX_ISOLATION, else "auto". */
  isolation?: IsolationRequest;
}

interface Worker {
  proc: LauncherProcess;
  slot: number;
  current?: { resolve: (r: SandboxResult) => void; timer: NodeJS.Timeout };
  stderr: string;
}

const STOPPED = 'sandbox worker stopped responding';

/** Runs untrusted Python, a fresh forked process per sample, up to `workers` at once (default: twice the cores). Starts on the first job. */
export class Sandbox {
  readonly limits: SandboxLimits;
  private readonly python: Interpreter;
  /** Where each sample's directory is made (removed by close()). */
  readonly root: string;
  private readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly queue: Array<{ job: SandboxJob; resolve: (r: SandboxResult) => void }> = [];
  private starting?: Promise<void>;
  private allStarted?: Promise<void>;
  private startError?: Error;
  private seq = 0;
  /** The launcher pool of the first start, if any: it ends after its launchers. */
  private pool?: LauncherPool;
  private closed = false;
  private sandboxInfo?: SandboxInfo;
  private mode: IsolationRequest;
  private readonly isRoot = process.getuid?.() === 0;

  constructor(opts: SandboxOptions = {}) {
    this.python = resolveInterpreter(opts.python);
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    // A sample mostly waits on process wake-ups (fork, socket round trips), so two workers per core keep the cores busy.
    this.size = Math.max(1, opts.workers ?? 2 * os.availableParallelism());
    this.mode = requestedIsolation(opts.isolation);
    const tmp = opts.tmpRoot ?? os.tmpdir();
    removeStaleRoots(tmp);
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(tmp, `evalbench-sandbox-${process.pid}-`)));
    fs.chmodSync(this.root, 0o711);
  }

  /** Resolves once every launcher of the first start has started or failed (jobs already flow from the first one ready). */
  async started(): Promise<void> {
    this.starting ??= this.start().catch((e: Error) => {
      this.startError = e;
    });
    await this.starting;
    await this.allStarted;
  }

  /** How samples are isolated; known once the first job has started the launchers. */
  info(): SandboxInfo | undefined {
    return this.sandboxInfo;
  }

  async run(job: SandboxJob): Promise<SandboxResult> {
    if (this.closed) return { verdict: 'error', reason: 'sandbox closed' };
    this.starting ??= this.start().catch((e: Error) => {
      this.startError = e;
    });
    await this.starting;
    if (this.startError) return { verdict: 'error', reason: `sandbox failure: ${this.startError.message}` };
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.resolve({ verdict: 'error', reason: 'sandbox closed' });
    await Promise.all(this.workers.map((w) => this.stop(w)));
    await this.pool?.ended();
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * Starts every launcher at once and returns when the first is ready, so samples flow while the others start (each
   * spends its start-up mostly waiting: interpreter start, namespaces, its probe sample). A root agent's check that
   * samples can run unprivileged runs beside them; no job is handed out before it passed.
   */
  private async start(): Promise<void> {
    const refused = this.isRoot ? checkRunsAsAsync(this.python.path, NOBODY) : Promise.resolve(undefined);
    const gate = refused.then((why) => {
      if (why) throw new Error(why);
    });
    // Handled below, once per launcher; this keeps a refusal that comes before any launcher is ready from counting as unhandled.
    gate.catch(() => undefined);
    const errors: Error[] = [];
    let pending = this.size;
    let allDone!: () => void;
    this.allStarted = new Promise<void>((resolve) => (allDone = resolve));
    await new Promise<void>((resolve, reject) => {
      const failed = (e: Error): void => {
        errors.push(e);
        if (--pending === 0) allDone();
        if (pending === 0 && !this.workers.length)
          reject(errors.find((x) => x.message.startsWith('samples never run as root')) ?? errors[0]!);
      };
      if (this.size > 1) this.pool = spawnLauncherPool(this.python.path, this.slotArgs());
      const pooled = this.pool?.launchers ?? [];
      for (let slot = 0; slot < this.size; slot++) {
        this.startWorker(slot, pooled[slot]).then((w) => {
          gate.then(
            () => {
              if (--pending === 0) allDone();
              if (this.closed) return void this.stop(w);
              this.workers.push(w);
              resolve();
              this.dispatch();
            },
            (e: Error) => {
              void this.stop(w);
              failed(e);
            },
          );
        }, failed);
      }
    });
  }

  private slotArgs(): LauncherArgs[] {
    return Array.from({ length: this.size }, (_, slot) => this.launcherArgs(slot));
  }

  private launcherArgs(slot: number): LauncherArgs {
    return { mode: this.mode, root: this.root, uid: NOBODY, gid: NOBODY, soloUid: soloUid(slot) };
  }

  /**
   * Starts one launcher (the pool's, when given, else one of its own); when its namespaces fail half-way, the mode
   * becomes "none" for this sandbox, with the reason. A pooled launcher that fails is tried once more on its own,
   * in the same mode, before that.
   */
  private async startWorker(slot: number, pooled?: LauncherProcess): Promise<Worker> {
    let why: string | undefined;
    for (;;) {
      const proc = pooled ?? spawnLauncher(this.python.path, this.launcherArgs(slot));
      const wasPooled = pooled !== undefined;
      pooled = undefined;
      const worker: Worker = { proc, slot, stderr: '' };
      proc.stderr.on('data', (d: Buffer) => (worker.stderr = (worker.stderr + d.toString()).slice(-4000)));
      const ready = await proc.ready();
      if (ready && 'namespaces' in ready) {
        if (why) ready.missing.unshift(why);
        this.sandboxInfo ??= {
          python: this.python,
          mode: ready.namespaces ? 'namespaces' : 'none',
          uid: ready.uid,
          ...describeIsolation(ready, this.isRoot),
        };
        this.attach(worker);
        return worker;
      }
      proc.kill();
      if (wasPooled) continue;
      const error = ready?.error ?? (worker.stderr.trim().slice(-500) || 'exited before it was ready');
      if (this.mode === 'none') throw new Error(`cannot start the sandbox launcher: ${error}`);
      why = error;
      this.mode = 'none';
    }
  }

  private attach(worker: Worker): void {
    const lines = readline.createInterface({ input: worker.proc.stdout });
    lines.on('line', (line) => {
      let result: SandboxResult;
      try {
        result = JSON.parse(line) as SandboxResult;
      } catch {
        result = { verdict: 'error', reason: `sandbox failure: unreadable launcher reply ${line.slice(0, 200)}` };
      }
      this.finish(worker, result);
    });
    worker.proc.whenExited(() => this.replace(worker));
    worker.proc.setRef(false);
  }

  private finish(worker: Worker, result: SandboxResult): void {
    const cur = worker.current;
    if (!cur) return;
    clearTimeout(cur.timer);
    worker.current = undefined;
    worker.proc.setRef(false);
    cur.resolve(result);
    this.dispatch();
  }

  /** A launcher that died, or did not answer in time (stopped, stuck): its sample errors and a fresh launcher takes the slot. */
  private replace(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i < 0) return;
    this.workers.splice(i, 1);
    worker.proc.kill();
    this.finish(worker, { verdict: 'error', reason: STOPPED });
    if (this.closed) return;
    void this.startWorker(worker.slot).then(
      (w) => {
        if (this.closed) return void this.stop(w);
        this.workers.push(w);
        this.dispatch();
      },
      (e: Error) => {
        if (this.workers.length) return;
        for (const q of this.queue.splice(0)) q.resolve({ verdict: 'error', reason: `sandbox failure: ${e.message}` });
      },
    );
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (w.current || !this.queue.length) continue;
      if (w.proc.exited) continue;
      const { job, resolve } = this.queue.shift()!;
      const cpuS = Math.max(1, Math.ceil(job.timeoutS ?? this.limits.timeoutS));
      const wallS = job.timeoutS !== undefined ? 3 * job.timeoutS : (this.limits.wallS ?? 3 * this.limits.timeoutS);
      const timer = setTimeout(() => this.replace(w), (wallS + (this.limits.graceS ?? 10)) * 1000);
      w.current = { resolve, timer };
      w.proc.setRef(true);
      const msg = {
        name: `s${++this.seq}`,
        solution: job.solution,
        context: job.context ?? '',
        tests: job.tests,
        entryPoint: job.entryPoint ?? null,
        cpuS,
        wallS,
        memoryMb: this.limits.memoryMb,
        fileMb: this.limits.fileMb,
        maxFiles: this.limits.maxFiles,
      };
      w.proc.stdin.write(JSON.stringify(msg) + '\n');
    }
  }

  private stop(w: Worker): Promise<void> {
    return new Promise<void>((resolve) => {
      if (w.proc.exited) return resolve();
      const t = setTimeout(() => w.proc.kill(), 2000);
      w.proc.whenExited(() => {
        clearTimeout(t);
        resolve();
      });
      w.proc.stdin.end();
    });
  }
}
