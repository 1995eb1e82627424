import type { Model } from '../../common/catalog/model';
import type { Preset } from '../../common/catalog/preset';

/** Engine flags as argv words (quoted later, by the template). */
export interface EngineArgsInput {
  model: Model;
  preset: Preset;
  tensorParallel: number;
  /** Name the base model is served under (`--served-model-name`). */
  servedModel: string;
  /** A LoRA adapter served beside the base (its path already expanded in the job's environment). */
  adapter?: { name: string; path: string };
  /** A task of this engine scores by log-likelihood (echoed prompt logprobs). */
  loglikelihood?: boolean;
  /** Data-parallel replicas (vLLM runs them behind its one API server); default 1. */
  replicas?: number;
}

/**
 * vLLM's --lora-modules item (LoRAParserAction in vllm/entrypoints/openai/cli_args.py): `name=path`, split on "=",
 * so a path holding "=" or "," must use the JSON form {"name": …, "path": …}.
 */
export function loraModule(adapter: { name: string; path: string }): string {
  return /[=,]/.test(adapter.path)
    ? JSON.stringify({ name: adapter.name, path: adapter.path })
    : `${adapter.name}=${adapter.path}`;
}
/**
 * `vllm serve` flags from the preset and the model; the model's own engineArgs come last so they win. Each flag was
 * checked against vllm/engine/arg_utils.py (test/unit/remote-agent/engines/vllm-args.test.ts quotes the lines):
 * - no `--quantization` unless the model forces one: vLLM reads the method from the checkpoint's config and, where it
 *   can, converts to Marlin (awq_marlin.py: "The model is convertible to {} during runtime. Using {} kernel."); an
 *   explicit `awq` is obeyed with the slow kernel ("however you specified quantization=awq explicitly, so forcing awq");
 * - `--generation-config vllm` unless the preset says "auto": the model's generation_config.json (e.g. a repetition
 *   penalty) does not silently change what the preset asked for;
 * - `--no-enable-prefix-caching` when a task reads prompt logprobs (log-likelihood), whatever the preset says.
 */
export function vllmArgs({
  model,
  preset,
  tensorParallel,
  servedModel,
  adapter,
  loglikelihood,
  replicas = 1,
}: EngineArgsInput): string[] {
  const e = preset.engine;
  const args = ['--host', '127.0.0.1', '--served-model-name', servedModel];
  args.push('--gpu-memory-utilization', String(e.gpuMemoryUtilization));
  args.push('--max-num-seqs', String(e.maxNumSeqs));
  const maxLen = e.maxModelLen ?? model.contextLength;
  if (maxLen !== undefined) args.push('--max-model-len', String(maxLen));
  args.push('--tensor-parallel-size', String(tensorParallel));
  // vllm/engine/arg_utils.py: parallel_group.add_argument("--data-parallel-size", "-dp", ...): one API server, N engines.
  if (replicas > 1) args.push('--data-parallel-size', String(replicas));
  if (model.forceQuantization !== undefined) args.push('--quantization', model.forceQuantization);
  args.push(e.enablePrefixCaching && !loglikelihood ? '--enable-prefix-caching' : '--no-enable-prefix-caching');
  args.push('--dtype', e.dtype);
  args.push('--generation-config', e.generationConfig);
  args.push('--seed', String(preset.generation.seed));
  if (model.revision !== undefined) args.push('--revision', model.revision);
  if (adapter) {
    args.push('--enable-lora', '--lora-modules', loraModule(adapter));
    if (model.maxLoraRank !== undefined) args.push('--max-lora-rank', String(model.maxLoraRank));
  }
  return [...args, ...(model.engineArgs ?? [])];
}

/** Flags of the built-in Transformers server (remote-agent/engines/transformers_server.py). */
export function builtinTransformersArgs({ model, preset, servedModel }: EngineArgsInput): string[] {
  const e = preset.engine;
  const args = [
    '--host',
    '127.0.0.1',
    '--served-model-name',
    servedModel,
    '--dtype',
    e.dtype,
    '--max-batch-size',
    String(e.maxNumSeqs),
    '--seed',
    String(preset.generation.seed),
  ];
  const maxLen = e.maxModelLen ?? model.contextLength;
  if (maxLen !== undefined) args.push('--max-model-len', String(maxLen));
  if (model.revision !== undefined) args.push('--revision', model.revision);
  return [...args, ...(model.engineArgs ?? [])];
}

/** Seconds `transformers serve` keeps an idle model loaded (serving.py: model_timeout, default 300): the whole job. */
const TRANSFORMERS_SERVE_MODEL_TIMEOUT_S = 7 * 24 * 3600;

/**
 * Flags of `transformers serve` (4.56–4.57 ServeArguments in commands/serving.py; hf_argparser.py adds the dashed
 * spelling of each field): it loads the model named by each request and unloads it after `model_timeout` idle seconds
 * (default 300, long enough to lose it while a task is being scored), so the timeout covers the job.
 */
export function transformersServeArgs({ model, preset }: EngineArgsInput): string[] {
  return [
    '--host',
    '127.0.0.1',
    '--dtype',
    preset.engine.dtype,
    '--model-timeout',
    String(TRANSFORMERS_SERVE_MODEL_TIMEOUT_S),
    ...(model.engineArgs ?? []),
  ];
}

/** `transformers serve` names a model revision as `repo@revision`. */
export function transformersServeModelName(model: Model): string {
  return model.revision !== undefined ? `${model.hf}@${model.revision}` : model.hf;
}
