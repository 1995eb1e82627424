import { z } from 'zod';

export const BACKENDS = ['vllm', 'transformers', 'endpoint'] as const;
export const Backend = z.enum(BACKENDS);
export type Backend = z.infer<typeof Backend>;

/** What the catalog, the plan and the agent know of an engine; its code is the agent's row in remote-agent/engines/implementations.ts. */
export interface EngineDescriptor {
  /** Its name in plans and messages. */
  label: string;
  /** The job starts its server; false: an already-running server at the model's `url`, never started or stopped. */
  startsServer: boolean;
  /** The cluster's command template when its profile names none (`{hf}`, `{port}`, `{args}`); '' when nothing is started. */
  command: string;
  /** Loads the model's weights on the job's GPUs: the plan sizes GPUs, the weights are inspected and fetched. */
  loadsWeights: boolean;
  /** Serves a model's LoRA `adapters` as columns of their own. */
  loraAdapters: boolean;
  /** Healthy when GET /v1/models answers where GET /health is missing (404/405): servers other than the known engines. */
  healthFallbackToModels: boolean;
  /** Takes `forceQuantization` (an explicit quantization method overriding the checkpoint's). */
  forceQuantization: boolean;
  /** Reads the quantization method from the checkpoint's config and refuses a different one: the plan checks the cached config. */
  checkpointQuantizationCheck: boolean;
  /**
   * How data-parallel replicas run: one server that runs them all (vLLM's data parallel), one server per GPU group,
   * or none (one server, whatever the preset says).
   */
  replicas: 'one_server' | 'server_per_gpu_group' | 'none';
}

/** Adding an engine: one file under remote-agent/engines/, one row here, one in remote-agent/engines/implementations.ts. */
export const ENGINES: Record<Backend, EngineDescriptor> = {
  vllm: {
    label: 'vLLM',
    startsServer: true,
    command: 'vllm serve {hf} --port {port} {args}',
    loadsWeights: true,
    healthFallbackToModels: false,
    loraAdapters: true,
    forceQuantization: true,
    checkpointQuantizationCheck: true,
    replicas: 'one_server',
  },
  transformers: {
    label: 'Transformers',
    startsServer: true,
    command: 'transformers serve --port {port} {args}',
    loadsWeights: true,
    healthFallbackToModels: false,
    loraAdapters: false,
    forceQuantization: false,
    checkpointQuantizationCheck: false,
    replicas: 'server_per_gpu_group',
  },
  endpoint: {
    label: 'endpoint',
    startsServer: false,
    command: '',
    loadsWeights: false,
    healthFallbackToModels: true,
    loraAdapters: false,
    forceQuantization: false,
    checkpointQuantizationCheck: false,
    replicas: 'none',
  },
};

export function engineDescriptor(backend: Backend): EngineDescriptor {
  return ENGINES[backend];
}

/** The labels of the engines that have a capability, for messages: "vLLM", "vLLM or Transformers". */
export function enginesWith(capability: 'loraAdapters' | 'forceQuantization'): string {
  return BACKENDS.filter((b) => ENGINES[b][capability])
    .map((b) => ENGINES[b].label)
    .join(' or ');
}
