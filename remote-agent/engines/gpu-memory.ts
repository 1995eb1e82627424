import { execFile } from 'node:child_process';

export const NVIDIA_SMI_ARGS = ['--query-gpu=memory.used', '--format=csv,noheader,nounits'];

/** MiB in use on each GPU from `nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits`; throws on anything else. */
export function parseNvidiaSmiMemory(stdout: string): number[] {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) throw new Error('nvidia-smi listed no GPU');
  return lines.map((line) => {
    if (!/^\d+(\.\d+)?$/.test(line))
      throw new Error(`nvidia-smi reports no memory use for a GPU (${JSON.stringify(line.slice(0, 60))})`);
    return Number(line);
  });
}

/** The job's GPUs as SLURM (or the user) hands them out: `-i` takes the same indices or UUIDs. */
function deviceArgs(env: NodeJS.ProcessEnv): string[] {
  const v = env.CUDA_VISIBLE_DEVICES?.trim();
  return v && /^[\w,-]+$/.test(v) && v !== 'NoDevFiles' ? ['-i', v] : [];
}

export type GpuMemoryPeak = { peakMiB: number; gpus: number } | { unavailable: string };

export interface GpuMemorySampler {
  /** The highest total (over the job's GPUs) seen so far, or why there is none. */
  peak(): GpuMemoryPeak;
  /** Takes a sample now (so a short task still gets one). */
  sampleNow(): Promise<void>;
  stop(): void;
}

export interface GpuMemorySamplerOptions {
  intervalMs?: number;
  /** The command (default nvidia-smi from PATH). */
  command?: string;
  env?: NodeJS.ProcessEnv;
}

type RunOutcome = { stdout: string } | { error: { code?: string | number | null; message: string; stderr: string } };

function run(command: string, args: string[]): Promise<RunOutcome> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve(error ? { error: { code: error.code, message: error.message, stderr } } : { stdout }),
    );
  });
}

/**
 * Samples GPU memory in use with nvidia-smi every `intervalMs` (default 2 s) and keeps the peak of the job's GPUs
 * summed. Where nvidia-smi is missing or cannot report memory, the peak is unavailable with the reason, never zero.
 */
export function startGpuMemorySampler(o: GpuMemorySamplerOptions = {}): GpuMemorySampler {
  const command = o.command ?? 'nvidia-smi';
  const env = o.env ?? process.env;
  let args = [...NVIDIA_SMI_ARGS, ...deviceArgs(env)];
  let peak: { peakMiB: number; gpus: number } | undefined;
  let unavailable: string | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;

  const sampleOnce = async (): Promise<void> => {
    let r = await run(command, args);
    if ('error' in r && r.error.code !== 'ENOENT' && args.includes('-i')) {
      // Devices hidden by a cgroup may be numbered from 0 while CUDA_VISIBLE_DEVICES keeps the node's numbers.
      args = [...NVIDIA_SMI_ARGS];
      r = await run(command, args);
    }
    if ('error' in r) {
      if (r.error.code === 'ENOENT') {
        unavailable = `${command} not found`;
        stop();
      } else
        unavailable = `${command} failed: ${(r.error.stderr.trim().split('\n')[0] || r.error.message).slice(0, 200)}`;
      return;
    }
    try {
      const perGpu = parseNvidiaSmiMemory(r.stdout);
      const total = perGpu.reduce((a, b) => a + b, 0);
      if (!peak || total > peak.peakMiB) peak = { peakMiB: total, gpus: perGpu.length };
    } catch (e) {
      unavailable = (e as Error).message;
    }
  };
  const sampleNow = (): Promise<void> => {
    if (stopped && unavailable !== undefined && peak === undefined) return Promise.resolve();
    inFlight ??= sampleOnce().finally(() => (inFlight = undefined));
    return inFlight;
  };
  const timer = setInterval(() => void sampleNow(), o.intervalMs ?? 2000);
  timer.unref();
  void sampleNow();
  function stop(): void {
    stopped = true;
    clearInterval(timer);
  }
  return {
    peak: () => (peak ? { ...peak } : { unavailable: unavailable ?? 'no GPU memory sample was taken' }),
    sampleNow,
    stop,
  };
}
