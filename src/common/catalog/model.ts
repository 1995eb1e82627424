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
    quantization: Quantization.default('none').describe('Weight quantization of the checkpoint: none, awq, gptq or fp8 (sizes the GPUs; checked against the checkpoint\'s config where it is cached). Not passed to vLLM: it reads the method from the checkpoint and picks its fast (Marlin) kernels.'),
    forceQuantization: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, 'a vLLM quantization method such as "fp8", "awq_marlin" or "gptq"')
      .optional()
      .describe('Force `--quantization <method>` on vLLM. Only for quantizing at load time (e.g. "fp8" of a bf16 checkpoint) or to override its choice: forcing "awq"/"gptq" on a checkpoint that can run Marlin selects the slow generic kernel.'),
    chatTemplateKwargs: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Sent as chat_template_kwargs with every chat request, e.g. {"enable_thinking": false} to stop Qwen3 from thinking. A preset\'s own chatTemplateKwargs win.'),
    gated: z.boolean().default(false).describe('The repository is gated: a Hugging Face token is needed.'),
    tensorParallel: z.number().int().positive().optional().describe('Tensor-parallel size; derived from params when absent.'),
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
    if (m.forceQuantization !== undefined && m.backend !== 'vllm') {
      ctx.addIssue({ code: 'custom', path: ['forceQuantization'], message: `"forceQuantization" is a vLLM flag; backend "${m.backend}" does not take it` });
    }
  });
export type Model = z.infer<typeof ModelSchema>;
