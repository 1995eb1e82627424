import type { Model } from '../catalog/model';
import type { PlanWarning } from './plan-schema';
import { engineDescriptor } from '../catalog/engines';

/**
 * What the agent found of a model's checkpoint config: its `quantization_config.quant_method` (null: the config has
 * none, the weights are not quantized), or 'unknown' when the config is not cached where the agent looked.
 */
export type CheckpointQuantization = { method: string | null } | 'unknown';

/** Methods vLLM accepts for a checkpoint of each kind without complaint (Marlin kernels run the same weights). */
const COMPATIBLE: Record<string, string[]> = {
  awq: ['awq', 'awq_marlin'],
  gptq: ['gptq', 'gptq_marlin', 'marlin'],
  fp8: ['fp8'],
};

/**
 * The plan's warning when the catalog's `quantization` (or `forceQuantization`) disagrees with the checkpoint's own
 * config, or says the check could not be made. vLLM reads the method from the checkpoint (config `_verify_quantization`:
 * `if self.quantization is None: self.quantization = quant_method`) and refuses a different explicit one: "Quantization
 * method specified in the model config ({quant_method}) does not match the quantization method specified in the
 * `quantization` argument ({self.quantization})."
 */
export function quantizationWarning(
  modelId: string,
  model: Model,
  found: CheckpointQuantization | undefined,
): PlanWarning | undefined {
  if (!engineDescriptor(model.backend).loadsWeights || found === undefined) return undefined;
  const said = model.quantization;
  const forced = model.forceQuantization;
  const w = (message: string): PlanWarning => ({
    code: 'quantization_mismatch',
    model: modelId,
    message: `model "${modelId}" (${model.hf}): ${message}`,
  });
  if (found === 'unknown') {
    if (said === 'none' && forced === undefined) return undefined;
    return {
      code: 'quantization_unchecked',
      model: modelId,
      message: `model "${modelId}" (${model.hf}): quantization "${forced ?? said}" unchecked: the checkpoint's config.json is not in the Hugging Face cache (HF_HOME) where the agent runs`,
    };
  }
  const actual = found.method?.toLowerCase() ?? null;
  if (forced !== undefined && actual !== null && !(COMPATIBLE[actual] ?? [actual]).includes(forced)) {
    return w(
      `forceQuantization "${forced}" but the checkpoint is quantized with "${actual}": vLLM will refuse to start ("Quantization method specified in the model config (${actual}) does not match the quantization method specified in the \`quantization\` argument (${forced})."); remove forceQuantization`,
    );
  }
  if (said === 'none') {
    return actual === null
      ? undefined
      : w(
          `the checkpoint is quantized ("${actual}") but the catalog says "quantization": "none": GPUs are sized for 16-bit weights; set "quantization" to match`,
        );
  }
  if (actual === null) {
    if (forced !== undefined) return undefined;
    return w(
      `the catalog says "quantization": "${said}" but the checkpoint has no quantization_config: vLLM loads it unquantized (and ${said === 'fp8' ? 'quantizes only with "forceQuantization": "fp8"' : `cannot make ${said} weights itself`}); point "hf" at a ${said.toUpperCase()} export of the model`,
    );
  }
  if (!(COMPATIBLE[said] ?? [said]).includes(actual))
    return w(`the catalog says "quantization": "${said}" but the checkpoint's config says "${actual}"`);
  return undefined;
}
