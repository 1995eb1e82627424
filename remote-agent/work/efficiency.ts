import type { Efficiency } from '../../common/run/records';
import type { DriveResult } from '../generate/types';
import type { JobContext } from './context';

/** Why a job has no GPU memory figure, by the kind of engine it drives. */
function notSampled(kind: JobContext['engine']['kind']): string {
  if (kind === 'endpoint') return 'the engine is an endpoint elsewhere: its GPU memory is not visible from the job';
  if (kind === 'reference') return 'the reference engine uses no GPU';
  return 'GPU memory was not sampled';
}

/** A streamed task's efficiency: engine load time, latencies of its requests, output rate, peak GPU memory of the job. */
export async function taskEfficiency(
  ctx: Pick<JobContext, 'engine' | 'gpuMemory'>,
  driven: Pick<DriveResult, 'latency' | 'throughput'>,
  concurrency: number,
): Promise<Efficiency> {
  await ctx.gpuMemory?.sampleNow();
  const peak = ctx.gpuMemory?.peak() ?? { unavailable: notSampled(ctx.engine.kind) };
  return {
    engineLoadS: Math.round(ctx.engine.loadS * 100) / 100,
    concurrency,
    ...driven.latency,
    outputTokensPerS: driven.throughput.outputTokensPerS,
    ...('peakMiB' in peak ? { peakGpuMemoryMiB: peak.peakMiB } : { gpuMemoryUnavailable: peak.unavailable }),
  };
}
