import { z } from 'zod';
import { CatalogId } from '../catalog/ids';
import { Quantization } from '../catalog/model';
import { ModelSource, Revision } from '../catalog/model-source';
import { PresetSchema } from '../catalog/preset';

/**
 * One change a rerun makes to the jobs it resubmits (the fixes offered for a CUDA out-of-memory failure). It travels
 * self-contained, like a run request: a preset or a checkpoint carries its catalog entry, not only its id.
 */
export const RerunOverrideSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tensorParallel'), tensorParallel: z.number().int().min(1).max(64) }),
  z.strictObject({ kind: z.literal('preset'), presetId: CatalogId, preset: PresetSchema }),
  /** Another catalog model's checkpoint (a quantized one) in place of the model's, under the same model column. */
  z.strictObject({
    kind: z.literal('checkpoint'),
    modelId: CatalogId,
    hf: ModelSource,
    quantization: Quantization,
    revision: Revision.optional(),
  }),
  z.strictObject({ kind: z.literal('maxModelLen'), maxModelLen: z.number().int().min(16).max(10_000_000) }),
]);
export type RerunOverride = z.infer<typeof RerunOverrideSchema>;

/** What a model's reruns changed so far, accumulated (run.json `modelSettings`): each later job runs with all of it. */
export const ModelSettingsSchema = z.strictObject({
  tensorParallel: z.number().int().positive().optional(),
  preset: z.strictObject({ presetId: CatalogId, preset: PresetSchema }).optional(),
  maxModelLen: z.number().int().positive().optional(),
  checkpoint: z
    .strictObject({ modelId: CatalogId, hf: ModelSource, quantization: Quantization, revision: Revision.optional() })
    .optional(),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

/** Pure: the settings after one more override. A preset replaces an earlier max-model-len (its own applies). */
export function mergeOverride(settings: ModelSettings | undefined, o: RerunOverride): ModelSettings {
  const next: ModelSettings = { ...settings };
  switch (o.kind) {
    case 'tensorParallel':
      next.tensorParallel = o.tensorParallel;
      break;
    case 'preset':
      next.preset = { presetId: o.presetId, preset: o.preset };
      delete next.maxModelLen;
      break;
    case 'checkpoint':
      next.checkpoint = {
        modelId: o.modelId,
        hf: o.hf,
        quantization: o.quantization,
        ...(o.revision !== undefined ? { revision: o.revision } : {}),
      };
      break;
    case 'maxModelLen':
      next.maxModelLen = o.maxModelLen;
      break;
  }
  return next;
}

/** "tensor parallelism 2", "preset memory_optimized", "checkpoint qwen3-8b-fp8 (Qwen/Qwen3-8B-FP8, fp8)", "max-model-len 8192". */
export function describeOverride(o: RerunOverride): string {
  switch (o.kind) {
    case 'tensorParallel':
      return `tensor parallelism ${o.tensorParallel}`;
    case 'preset':
      return `preset ${o.presetId}`;
    case 'checkpoint':
      return `checkpoint ${o.modelId} (${o.hf}${o.revision ? `@${o.revision}` : ''}, ${o.quantization})`;
    case 'maxModelLen':
      return `max-model-len ${o.maxModelLen}`;
  }
}

/** The accumulated settings in words, e.g. "tensor parallelism 2, preset memory_optimized". */
export function describeSettings(s: ModelSettings): string {
  const parts: string[] = [];
  if (s.tensorParallel !== undefined)
    parts.push(describeOverride({ kind: 'tensorParallel', tensorParallel: s.tensorParallel }));
  if (s.preset) parts.push(describeOverride({ kind: 'preset', ...s.preset }));
  if (s.checkpoint) parts.push(describeOverride({ kind: 'checkpoint', ...s.checkpoint }));
  if (s.maxModelLen !== undefined) parts.push(describeOverride({ kind: 'maxModelLen', maxModelLen: s.maxModelLen }));
  return parts.join(', ');
}
