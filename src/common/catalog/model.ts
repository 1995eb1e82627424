import { z } from 'zod';
import { ADAPTER_NAME } from './adapters';
import { ModelSource, Revision } from './model-source';

export const Backend = z.enum(['vllm', 'transformers', 'endpoint']);
export type Backend = z.infer<typeof Backend>;

export const Quantization = z.enum(['none', 'awq', 'gptq', 'fp8']);
export type Quantization = z.infer<typeof Quantization>;

export const ModelSchema = z
  .strictObject({
    hf: ModelSource.describe('Hugging Face repository id, e.g. "Qwen/Qwen3-8B", or an absolute directory on the cluster, e.g. "/scratch/alice/ckpt/step-1000" or "$SCRATCH/ckpt/step-1000" ($VAR expanded in the job). Served under this name unless "servedName" is set.'),
    servedName: z.string().regex(/^[^\s\0]+$/, 'a served name has no spaces').max(200).optional().describe('Name the engine serves the model under (requests carry it as "model"); default: the Hugging Face id, or the catalog id for a cluster path.'),
    revision: Revision.optional().describe('Git revision (branch, tag or commit) of the repository: pinned for the fetch, passed to vLLM as --revision, recorded in the run\'s provenance.'),
    adapters: z.record(z.string(), ModelSource).optional().describe('LoRA adapters (name → Hugging Face id or cluster path), served with vLLM\'s --enable-lora --lora-modules; each adapter is evaluated as its own model column "<model>:<name>".'),
    maxLoraRank: z.number().int().positive().optional().describe('vLLM --max-lora-rank: the largest rank among the adapters (vLLM\'s default is 16).'),
    backend: Backend.default('vllm').describe('Engine that serves the model: vllm, transformers, or an already-running endpoint.'),
    params: z.number().positive().optional().describe('Parameter count in billions (used to size GPUs).'),
    contextLength: z.number().int().positive().optional().describe('Maximum context length in tokens.'),
    quantization: Quantization.default('none').describe('Weight quantization: none, awq, gptq or fp8.'),
    gated: z.boolean().default(false).describe('The repository is gated: a Hugging Face token is needed.'),
    tensorParallel: z.number().int().positive().optional().describe('Tensor-parallel size; derived from params when absent.'),
    chat: z.boolean().default(true).describe('Chat (instruction-tuned) model; false for a base model (completion prompts).'),
    vision: z.boolean().default(false).describe('Accepts images as chat content parts.'),
    url: z.url().optional().describe('Base URL of an already-running OpenAI-compatible server (backend "endpoint").'),
    engineArgs: z.array(z.string()).optional().describe('Extra arguments appended to the engine command.'),
    description: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    for (const name of Object.keys(m.adapters ?? {})) {
      const ok = ADAPTER_NAME.safeParse(name);
      if (!ok.success) ctx.addIssue({ code: 'custom', path: ['adapters', name], message: ok.error.issues[0]!.message });
    }
    if (m.adapters && Object.keys(m.adapters).length && m.backend !== 'vllm') {
      ctx.addIssue({ code: 'custom', path: ['adapters'], message: `LoRA adapters are served by vLLM only (backend is "${m.backend}")` });
    }
    if (m.backend === 'endpoint' && !m.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'backend "endpoint" needs a "url"' });
    }
  });
export type Model = z.infer<typeof ModelSchema>;
