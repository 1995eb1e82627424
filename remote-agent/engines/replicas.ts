import type { EngineHandle } from './types';

/**
 * The GPUs of each replica: consecutive groups of `tensorParallel` ids from the job's CUDA_VISIBLE_DEVICES (SLURM sets
 * it to the allocation's GPUs; ids may be indices or UUIDs), else 0..N-1. Throws when the job sees too few GPUs.
 */
export function replicaGpuGroups(visible: string | undefined, replicas: number, tensorParallel: number): string[] {
  const need = replicas * tensorParallel;
  const ids =
    visible === undefined || visible.trim() === ''
      ? Array.from({ length: need }, (_, i) => String(i))
      : visible
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (ids.length < need) {
    throw new Error(
      `${replicas} replicas × ${tensorParallel} GPU${tensorParallel > 1 ? 's' : ''} need ${need} GPUs but the job sees ${ids.length} (CUDA_VISIBLE_DEVICES=${visible ?? ''})`,
    );
  }
  return Array.from({ length: replicas }, (_, r) => ids.slice(r * tensorParallel, (r + 1) * tensorParallel).join(','));
}

/**
 * Starts every replica at once; when one fails, the others are stopped and that failure is thrown. The handle serves
 * all of them: `replicaBaseUrls` for the driver, one `stop` for all, `exited` as soon as any replica exits.
 */
export async function startReplicas(
  count: number,
  startOne: (index: number) => Promise<EngineHandle>,
): Promise<EngineHandle> {
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => startOne(i)));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((h) => h.stop()));
    throw failed.reason;
  }
  return combineReplicas(started);
}

function combineReplicas(handles: EngineHandle[]): EngineHandle {
  const first = handles[0]!;
  if (handles.length === 1) return first;
  return {
    ...first,
    replicaBaseUrls: handles.map((h) => h.baseUrl),
    command: handles.map((h) => h.command).join('\n'),
    loadS: Math.max(...handles.map((h) => h.loadS)),
    stop: async () => {
      await Promise.all(handles.map((h) => h.stop()));
    },
    outputTail: (lines = 60) => handles.map((h, i) => `--- replica ${i} ---\n${h.outputTail(lines)}`).join('\n'),
    exited: Promise.race(handles.map((h, i) => h.exited.then((how) => `replica ${i} ${how}`))),
  };
}
