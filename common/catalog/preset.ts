import { z } from 'zod';
import { engineDescriptor, type Backend } from './engines';

export const EngineSettings = z.strictObject({
  gpuMemoryUtilization: z
    .number()
    .gt(0)
    .max(1)
    .default(0.85)
    .describe('Fraction of GPU memory the engine may use (--gpu-memory-utilization).'),
  maxNumSeqs: z
    .number()
    .int()
    .positive()
    .default(64)
    .describe('Maximum concurrent sequences in the engine (--max-num-seqs).'),
  maxModelLen: z.number().int().positive().optional().describe('Maximum model length in tokens (--max-model-len).'),
  enablePrefixCaching: z
    .boolean()
    .default(true)
    .describe('Reuse the KV cache of shared prompt prefixes (--enable-prefix-caching).'),
  dtype: z
    .enum(['auto', 'float16', 'bfloat16', 'float32'])
    .default('auto')
    .describe('Weight and activation dtype (--dtype).'),
  generationConfig: z
    .enum(['vllm', 'auto'])
    .default('vllm')
    .describe(
      '--generation-config: "vllm" (default) samples exactly as the preset says; "auto" lets each model\'s generation_config.json set defaults (e.g. a repetition penalty) for what requests leave out.',
    ),
  replicas: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'Engine replicas (data parallel) in one job, each on its own tensor-parallel group of GPUs: vLLM --data-parallel-size, or one Transformers server per group. A model\'s own "replicas" wins. Default 1.',
    ),
});
export type EngineSettings = z.infer<typeof EngineSettings>;

export const GenerationSettings = z.strictObject({
  temperature: z.number().min(0).max(2).default(0).describe('Sampling temperature; 0 is greedy.'),
  topP: z.number().gt(0).max(1).default(1).describe('Nucleus sampling probability mass.'),
  maxTokens: z
    .number()
    .int()
    .positive()
    .default(1024)
    .describe('Maximum tokens generated per sample unless the dataset says otherwise.'),
  seed: z.number().int().min(0).default(1234).describe('Sampling seed, passed to the engine and per request.'),
  concurrency: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Requests in flight at once; defaults to the engine's maxNumSeqs."),
  samplesPerPrompt: z.number().int().positive().default(1).describe('Completions per prompt (n), for pass@k.'),
  requestTimeoutS: z.number().positive().default(600).describe('Time-out of one request in seconds.'),
  stream: z
    .boolean()
    .optional()
    .describe(
      'Stream answers (server-sent events) to measure time to first token and inter-token latency; results then carry efficiency metrics.',
    ),
  chatTemplateKwargs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'Sent as chat_template_kwargs with every chat request (over the model\'s own), e.g. {"enable_thinking": false} for Qwen3.',
    ),
});
export type GenerationSettings = z.infer<typeof GenerationSettings>;

/** vllm/sampling_params.py: `if self.temperature < _SAMPLING_EPS:` (1e-5) "Zero temperature means greedy sampling." */
const GREEDY_BELOW = 1e-5;

export const PresetSchema = z
  .strictObject({
    description: z.string().optional(),
    engine: EngineSettings.prefault({}),
    generation: GenerationSettings.prefault({}),
  })
  .superRefine((p, ctx) => {
    const g = p.generation;
    // vllm/sampling_params.py _verify_greedy_sampling: f"n must be 1 when using greedy sampling, got {self.n}."
    if (g.samplesPerPrompt > 1 && g.temperature < GREEDY_BELOW) {
      ctx.addIssue({
        code: 'custom',
        path: ['generation', 'samplesPerPrompt'],
        message: `samplesPerPrompt ${g.samplesPerPrompt} with temperature ${g.temperature} (greedy): vLLM refuses every such request ("n must be 1 when using greedy sampling, got ${g.samplesPerPrompt}."); raise "temperature" (e.g. 0.8) or set samplesPerPrompt to 1`,
      });
    }
  });
export type Preset = z.infer<typeof PresetSchema>;

/** Requests in flight at once: the preset's own, else every replica's maxNumSeqs (each replica runs that many sequences). */
export function effectiveConcurrency(p: Preset, replicas = 1): number {
  return p.generation.concurrency ?? p.engine.maxNumSeqs * replicas;
}

/** Data-parallel replicas of a model's engine: the model's own, else the preset's, else 1; an endpoint is one server. */
export function effectiveReplicas(model: { backend: Backend; replicas?: number | undefined }, p: Preset): number {
  if (engineDescriptor(model.backend).replicas === 'none') return 1;
  return model.replicas ?? p.engine.replicas ?? 1;
}
