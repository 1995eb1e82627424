/** Engines: start one for a model (vLLM, Transformers, an endpoint, or the reference engine), check health, stop, sample metrics. */
export { startEngine, BUILTIN_TRANSFORMERS_TEMPLATE } from './start';
export { EngineStartError, type EngineHandle, type StartEngineOptions } from './types';
export { extractRootCause, type RootCause, type RootCauseKind } from './root-cause';
export {
  startMetricsSampler,
  parsePrometheus,
  engineMetricsFrom,
  type EngineMetrics,
  type MetricsSample,
  type MetricsSamplerOptions,
} from './metrics';
export { renderTemplate, shellQuote } from './template';
export { vllmArgs } from './args';
export { REFERENCE_MODEL_NAME } from './reference-engine';
export { killAllEngineGroups } from './process-group';
