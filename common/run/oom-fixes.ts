import type { Model } from '../catalog/model';
import { isClusterPath } from '../catalog/model-source';
import type { Preset } from '../catalog/preset';
import type { RerunOverride } from './rerun-override';
import type { RerunPlanJob } from './rerun-plan';

/** The preset the catalog starter and the example name for large models or shared GPUs. */
export const MEMORY_PRESET = 'memory_optimized';
/** Below this, halving --max-model-len is no longer offered: prompts and answers would not fit. */
const SHORTEST_MAX_MODEL_LEN = 2048;
/** Offered when the model's length is unknown (vLLM then takes the model config's, often 32k or more). */
const DEFAULT_SHORTER_LEN = 8192;

export interface OomFix {
  label: string;
  override: RerunOverride;
}

export interface OomFixes {
  fixes: OomFix[];
  /** Fixes that cannot be offered, and why (no quantized checkpoint known, no more GPUs on a node, …). */
  notes: string[];
}

/** Words of a quantized repository's suffix ("-FP8", "-AWQ", "-GPTQ-Int4", "-quantized.w4a16", "-FP8-dynamic"). */
const QUANT_WORD =
  /^(awq|gptq|fp8|fp4|nvfp4|int4|int8|w4a16|w8a8|w4a4|bnb|nf4|4bit|8bit|quantized|quant|dynamic|static|marlin|g\d+)$/i;

function repoName(hf: string): string {
  return (hf.split('/').pop() ?? hf).toLowerCase();
}

/**
 * Pure: catalog models that are quantized checkpoints of `model` — a quantization other than none and a repository
 * named like the model's with a quantization suffix ("Qwen/Qwen3-8B" → "Qwen/Qwen3-8B-FP8", "…/Qwen3-8B-AWQ").
 */
export function quantizedVariants(
  model: Pick<Model, 'hf' | 'quantization'>,
  models: Record<string, Model>,
): Array<[string, Model]> {
  if (isClusterPath(model.hf)) return [];
  const base = repoName(model.hf);
  return Object.entries(models).filter(([, m]) => {
    if (m.quantization === 'none' || isClusterPath(m.hf) || m.hf === model.hf) return false;
    const name = repoName(m.hf);
    if (!name.startsWith(base)) return false;
    const rest = name.slice(base.length);
    // Only quantization words after the model's own name: "Qwen3-8B-Base-AWQ" is another model's checkpoint.
    const words = rest.split(/[-_.]/).filter(Boolean);
    return /^[-_.]/.test(rest) && words.length > 0 && words.every((w) => QUANT_WORD.test(w));
  });
}

/**
 * Pure: what may get a job that ran out of GPU memory going, in the order to try: more tensor parallelism (when a node
 * has the GPUs), the memory-optimized preset, a quantized checkpoint the catalog knows, a shorter max-model-len.
 */
export function oomFixes(
  job: RerunPlanJob,
  ctx: { gpusPerNode: number; clusterId: string; presets: Record<string, Preset>; models: Record<string, Model> },
): OomFixes {
  const fixes: OomFix[] = [];
  const notes: string[] = [];
  const nextTp = job.tensorParallel * 2;
  if (nextTp * job.replicas <= ctx.gpusPerNode) {
    fixes.push({
      label: `More tensor parallelism: ${job.tensorParallel} → ${nextTp} GPUs per replica`,
      override: { kind: 'tensorParallel', tensorParallel: nextTp },
    });
  } else {
    notes.push(
      `no more tensor parallelism: a node of "${ctx.clusterId}" has ${ctx.gpusPerNode} GPU${ctx.gpusPerNode === 1 ? '' : 's'} and the job uses ${job.tensorParallel * job.replicas}`,
    );
  }
  const preset = ctx.presets[MEMORY_PRESET];
  if (job.presetId === MEMORY_PRESET) notes.push(`the job already runs with the "${MEMORY_PRESET}" preset`);
  else if (!preset) notes.push(`the catalog has no "${MEMORY_PRESET}" preset (.evalbench/presets.jsonc)`);
  else
    fixes.push({
      label: `The "${MEMORY_PRESET}" preset (GPU memory ${preset.engine.gpuMemoryUtilization}, ${preset.engine.maxNumSeqs} sequences${preset.engine.maxModelLen ? `, max-model-len ${preset.engine.maxModelLen}` : ''})`,
      override: { kind: 'preset', presetId: MEMORY_PRESET, preset },
    });
  if (job.quantization !== 'none') {
    notes.push(`${job.hf} is already a quantized checkpoint (${job.quantization})`);
  } else {
    const variants = quantizedVariants({ hf: job.hf, quantization: job.quantization }, ctx.models);
    if (!variants.length)
      notes.push(
        `no quantized checkpoint of ${job.hf} is known in the catalog: add one (e.g. its AWQ or FP8 repository, with "quantization") to .evalbench/models.jsonc`,
      );
    for (const [id, m] of variants.slice(0, 3)) {
      fixes.push({
        label: `Quantized checkpoint ${id} (${m.hf}, ${m.quantization})`,
        override: {
          kind: 'checkpoint',
          modelId: id,
          hf: m.hf,
          quantization: m.quantization,
          ...(m.revision !== undefined ? { revision: m.revision } : {}),
        },
      });
    }
  }
  const len = job.maxModelLen;
  if (len === undefined)
    fixes.push({
      label: `A shorter context: max-model-len ${DEFAULT_SHORTER_LEN} (now the model's own)`,
      override: { kind: 'maxModelLen', maxModelLen: DEFAULT_SHORTER_LEN },
    });
  else if (len > SHORTEST_MAX_MODEL_LEN)
    fixes.push({
      label: `A shorter context: max-model-len ${len} → ${Math.max(Math.floor(len / 2), SHORTEST_MAX_MODEL_LEN)}`,
      override: { kind: 'maxModelLen', maxModelLen: Math.max(Math.floor(len / 2), SHORTEST_MAX_MODEL_LEN) },
    });
  else notes.push(`max-model-len is ${len} already: shorter would cut prompts`);
  return { fixes, notes };
}
