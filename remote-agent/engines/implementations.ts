import type { Backend } from '../../common/catalog/engines';
import { ENDPOINT_ENGINE } from './endpoint-engine';
import { TRANSFORMERS_ENGINE } from './transformers-engine';
import type { EngineImplementation } from './types';
import { VLLM_ENGINE } from './vllm-engine';

/** The agent's half of each ENGINES row (common/catalog/engines.ts): its code. */
export const ENGINE_IMPLEMENTATIONS: Record<Backend, EngineImplementation> = {
  vllm: VLLM_ENGINE,
  transformers: TRANSFORMERS_ENGINE,
  endpoint: ENDPOINT_ENGINE,
};
