import type { Model } from '../../src/common/catalog/model';
import type { Preset } from '../../src/common/catalog/preset';

/** Engine flags as argv words (quoted later, by the template). */
export interface EngineArgsInput {
  model: Model;
  preset: Preset;
  tensorParallel: number;
  /** Name the base model is served under (`--served-model-name`). */
  servedModel: string;
  /** A LoRA adapter served beside the base (its path already expanded in the job's environment). */
  adapter?: { name: string; path: string };
}

/**
 * vLLM's --lora-modules item (LoRAParserAction in vllm/entrypoints/openai/cli_args.py): `name=path`, split on "=",
 * so a path holding "=" or "," must use the JSON form {"name": …, "path": …}.
 */
export function loraModule(adapter: { name: string; path: string }): string {
  return /[=,]/.test(adapter.path) ? JSON.stringify({ name: adapter.name, path: adapter.path }) : `${adapter.name}=${adapter.path}`;
}

/** `vllm serve` flags from the preset and the model; the model's own engineArgs come last so they win. */
export function vllmArgs({ model, preset, tensorParallel, servedModel, adapter }: EngineArgsInput): string[] {
  const e = preset.engine;
  const args = ['--host', '127.0.0.1', '--served-model-name', servedModel];
  args.push('--gpu-memory-utilization', String(e.gpuMemoryUtilization));
  args.push('--max-num-seqs', String(e.maxNumSeqs));
  const maxLen = e.maxModelLen ?? model.contextLength;
  if (maxLen !== undefined) args.push('--max-model-len', String(maxLen));
  args.push('--tensor-parallel-size', String(tensorParallel));
  if (model.quantization !== 'none') args.push('--quantization', model.quantization);
  args.push(e.enablePrefixCaching ? '--enable-prefix-caching' : '--no-enable-prefix-caching');
  args.push('--dtype', e.dtype);
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
  const args = ['--host', '127.0.0.1', '--served-model-name', servedModel, '--dtype', e.dtype, '--max-batch-size', String(e.maxNumSeqs), '--seed', String(preset.generation.seed)];
  const maxLen = e.maxModelLen ?? model.contextLength;
  if (maxLen !== undefined) args.push('--max-model-len', String(maxLen));
  if (model.revision !== undefined) args.push('--revision', model.revision);
  return [...args, ...(model.engineArgs ?? [])];
}

/** Flags of `transformers serve`: it loads the model named by each request, so few flags are stable across versions. */
export function transformersServeArgs({ model }: EngineArgsInput): string[] {
  return ['--host', '127.0.0.1', ...(model.engineArgs ?? [])];
}

/** `transformers serve` names a model revision as `repo@revision`. */
export function transformersServeModelName(model: Model): string {
  return model.revision !== undefined ? `${model.hf}@${model.revision}` : model.hf;
}
