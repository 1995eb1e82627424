import { z } from 'zod';
import { HfId } from './ids';

export const Backend = z.enum(['vllm', 'transformers', 'endpoint']);
export type Backend = z.infer<typeof Backend>;

export const Quantization = z.enum(['none', 'awq', 'gptq', 'fp8']);
export type Quantization = z.infer<typeof Quantization>;

export const ModelSchema = z
  .strictObject({
    hf: HfId.describe('Hugging Face repository id, e.g. "Qwen/Qwen3-8B". Served under this name.'),
    revision: z.string().min(1).optional().describe('Git revision (branch, tag or commit) of the repository.'),
    backend: Backend.default('vllm').describe('Engine that serves the model: vllm, transformers, or an already-running endpoint.'),
    params: z.number().positive().optional().describe('Parameter count in billions (used to size GPUs).'),
    contextLength: z.number().int().positive().optional().describe('Maximum context length in tokens.'),
    quantization: Quantization.default('none').describe('Weight quantization: none, awq, gptq or fp8.'),
    gated: z.boolean().default(false).describe('The repository is gated: a Hugging Face token is needed.'),
    tensorParallel: z.number().int().positive().optional().describe('Tensor-parallel size; derived from params when absent.'),
    replicas: z.number().int().positive().optional().describe('Engine replicas (data parallel) in the job, each with its own tensor-parallel GPUs; the job asks for tensorParallel × replicas GPUs. Overrides the preset\'s engine.replicas.'),
    chat: z.boolean().default(true).describe('Chat (instruction-tuned) model; false for a base model (completion prompts).'),
    vision: z.boolean().default(false).describe('Accepts images as chat content parts.'),
    url: z.url().optional().describe('Base URL of an already-running OpenAI-compatible server (backend "endpoint").'),
    engineArgs: z.array(z.string()).optional().describe('Extra arguments appended to the engine command.'),
    description: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.backend === 'endpoint' && !m.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'backend "endpoint" needs a "url"' });
    }
  });
export type Model = z.infer<typeof ModelSchema>;
