import type { Model } from '../../common/catalog/model';
import type { Preset } from '../../common/catalog/preset';

/** The chat template kwargs of a task: the model's, overridden key by key by the preset's; undefined when neither has any. */
export function chatTemplateKwargsFor(
  model: Pick<Model, 'chatTemplateKwargs'>,
  preset: Preset,
): Record<string, unknown> | undefined {
  const merged = { ...model.chatTemplateKwargs, ...preset.generation.chatTemplateKwargs };
  return Object.keys(merged).length ? merged : undefined;
}
