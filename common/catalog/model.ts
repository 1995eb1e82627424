import { z } from 'zod';
import { ADAPTER_NAME } from './adapter-name';
import { Backend, engineDescriptor, enginesWith } from './engines';
import { ModelSource, Revision } from './model-source';

export { Backend };

export const Quantization = z.enum(['none', 'awq', 'gptq', 'fp8']);
export type Quantization = z.infer<typeof Quantization>;

export const ModelSchema = z
  .strictObject({
    hf: ModelSource.describe(
      'Hugging Face repository id, e.g. "Qwen/Qwen3-8B", or an absolute directory on the cluster, e.g. "/scratch/alice/ckpt/step-1000" or "$SCRATCH/ckpt/step-1000" ($VAR expanded in the job). Served under this name unless "servedName" is set.',
    ),
    servedName: z
      .string()
      .regex(/^[^\s\0]+$/, 'a served name has no spaces')
      .max(200)
      .optional()
      .describe(
        'Name the engine serves the model under (requests carry it as "model"); default: the Hugging Face id, or the catalog id for a cluster path.',
      ),
    revision: Revision.optional().describe(
      "Git revision (branch, tag or commit) of the repository: pinned for the fetch, passed to vLLM as --revision, recorded in the run's provenance.",
    ),
    adapters: z
      .record(z.string(), ModelSource)
      .optional()
      .describe(
        'LoRA adapters (name → Hugging Face id or cluster path), served with vLLM\'s --enable-lora --lora-modules; each adapter is evaluated as its own model column "<model>:<name>".',
      ),
    maxLoraRank: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("vLLM --max-lora-rank: the largest rank among the adapters (vLLM's default is 16)."),
    backend: Backend.default('vllm').describe(
      'Engine that serves the model: vllm, transformers, or an already-running endpoint.',
    ),
    params: z.number().positive().optional().describe('Parameter count in billions (used to size GPUs).'),
    contextLength: z.number().int().positive().optional().describe('Maximum context length in tokens.'),
    quantization: Quantization.default('none').describe(
      "Weight quantization of the checkpoint: none, awq, gptq or fp8 (sizes the GPUs; checked against the checkpoint's config where it is cached). Not passed to vLLM: it reads the method from the checkpoint and picks its fast (Marlin) kernels.",
    ),
    forceQuantization: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, 'a vLLM quantization method such as "fp8", "awq_marlin" or "gptq"')
      .optional()
      .describe(
        'Force `--quantization <method>` on vLLM. Only for quantizing at load time (e.g. "fp8" of a bf16 checkpoint) or to override its choice: forcing "awq"/"gptq" on a checkpoint that can run Marlin selects the slow generic kernel.',
      ),
    chatTemplateKwargs: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Sent as chat_template_kwargs with every chat request, e.g. {"enable_thinking": false} to stop Qwen3 from thinking. A preset\'s own chatTemplateKwargs win.',
      ),
    gated: z.boolean().default(false).describe('The repository is gated: a Hugging Face token is needed.'),
    tensorParallel: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Tensor-parallel size; derived from params when absent.'),
    replicas: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Engine replicas (data parallel) in the job, each with its own tensor-parallel GPUs; the job asks for tensorParallel × replicas GPUs. Overrides the preset's engine.replicas.",
      ),
    chat: z
      .boolean()
      .default(true)
      .describe('Chat (instruction-tuned) model; false for a base model (completion prompts).'),
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
    const engine = engineDescriptor(m.backend);
    if (m.adapters && Object.keys(m.adapters).length && !engine.loraAdapters) {
      ctx.addIssue({
        code: 'custom',
        path: ['adapters'],
        message: `LoRA adapters are served by ${enginesWith('loraAdapters')} only (backend is "${m.backend}")`,
      });
    }
    if (!engine.startsServer && !m.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `backend "${m.backend}" needs a "url"` });
    }
    if (m.forceQuantization !== undefined && !engine.forceQuantization) {
      ctx.addIssue({
        code: 'custom',
        path: ['forceQuantization'],
        message: `"forceQuantization" is a ${enginesWith('forceQuantization')} flag; backend "${m.backend}" does not take it`,
      });
    }
  });
export type Model = z.infer<typeof ModelSchema>;
