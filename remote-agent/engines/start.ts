import { engineDescriptor } from '../../common/catalog/engines';
import { connectEndpoint } from './endpoint-engine';
import { ENGINE_IMPLEMENTATIONS } from './implementations';
import { startReferenceEngine } from './reference-engine';
import { replicaGpuGroups, startReplicas } from './replicas';
import { tensorParallelOf } from './server-process';
import { EngineStartError, type EngineHandle, type StartEngineOptions } from './types';
import { errorMessage } from '../../common/error-message';

export { BUILTIN_TRANSFORMERS_TEMPLATE } from './transformers-engine';

/**
 * Starts the engine that serves `opts.model` (or the override), waits until it is healthy, and returns its handle.
 * Throws EngineStartError (with the root cause from the engine's own output) when it exits or the deadline passes.
 */
export async function startEngine(opts: StartEngineOptions): Promise<EngineHandle> {
  const { model, override } = opts;
  if (override?.kind === 'reference') return startReferenceEngine();
  if (override?.kind === 'endpoint') return connectEndpoint(override.url, override.model, opts);
  const engine = ENGINE_IMPLEMENTATIONS[model.backend];
  const replicas = opts.replicas ?? 1;
  // vLLM runs its data-parallel replicas itself behind one API server; Transformers gets one server per GPU group.
  if (engineDescriptor(model.backend).replicas !== 'server_per_gpu_group' || replicas === 1) return engine.start(opts);
  let groups: string[];
  try {
    groups = replicaGpuGroups(
      opts.env?.CUDA_VISIBLE_DEVICES ?? process.env.CUDA_VISIBLE_DEVICES,
      replicas,
      tensorParallelOf(opts),
    );
  } catch (e) {
    throw new EngineStartError(errorMessage(e), 'not started', '', 'unknown');
  }
  return startReplicas(replicas, (i) =>
    engine.start({ ...opts, env: { ...opts.env, CUDA_VISIBLE_DEVICES: groups[i]! } }),
  );
}
