import type { Model } from './model';

/**
 * LoRA adapters of a model become model columns of their own: "<model>:<adapter>". Each column's job serves the
 * base model with that adapter (vLLM --enable-lora --lora-modules name=path) and its requests name the adapter as
 * `model`, so results, reruns and reports treat it like any other model.
 */
export const ADAPTER_SEPARATOR = ':';

export interface ModelColumn {
  /** The catalog model that is loaded (the base, for an adapter column). */
  baseId: string;
  model: Model;
  /** The adapter served on top of the base, for an adapter column. */
  adapter?: { name: string; source: string };
}

export function adapterColumnId(modelId: string, adapter: string): string {
  return `${modelId}${ADAPTER_SEPARATOR}${adapter}`;
}

/** The model columns of a catalog model: itself, then one per adapter in catalog order. */
export function modelColumns(modelId: string, model: Model): string[] {
  return [modelId, ...Object.keys(model.adapters ?? {}).map((a) => adapterColumnId(modelId, a))];
}

/** A column id back to its catalog model (and adapter). A catalog id that itself contains ":" wins. */
export function resolveColumn(models: Record<string, Model>, columnId: string): ModelColumn | undefined {
  const direct = models[columnId];
  if (direct) return { baseId: columnId, model: direct };
  const cut = columnId.lastIndexOf(ADAPTER_SEPARATOR);
  if (cut <= 0) return undefined;
  const baseId = columnId.slice(0, cut);
  const name = columnId.slice(cut + 1);
  const model = models[baseId];
  const source = model?.adapters?.[name];
  return model && source !== undefined ? { baseId, model, adapter: { name, source } } : undefined;
}
