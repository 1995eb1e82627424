import type { Dataset } from '../../src/common/catalog/dataset';
import type { Model } from '../../src/common/catalog/model';
import type { Preset } from '../../src/common/catalog/preset';
import { effectiveConcurrency } from '../../src/common/catalog/preset';
import type { DriveOptions, RequestSettings } from './types';

/** The request settings of one task: the preset's sampling, the dataset's own max tokens and stop sequences. */
export function requestSettingsFor(preset: Preset, dataset: Pick<Dataset, 'maxTokens' | 'stop'>): RequestSettings {
  const g = preset.generation;
  return {
    temperature: g.temperature,
    topP: g.topP,
    maxTokens: dataset.maxTokens ?? g.maxTokens,
    seed: g.seed,
    ...(dataset.stop?.length ? { stop: dataset.stop } : {}),
    ...(g.samplesPerPrompt > 1 ? { n: g.samplesPerPrompt } : {}),
  };
}

/** Concurrency and time-out of a task from its preset. */
export function driveLimitsFor(preset: Preset): Pick<DriveOptions, 'concurrency' | 'requestTimeoutMs'> {
  return { concurrency: effectiveConcurrency(preset), requestTimeoutMs: preset.generation.requestTimeoutS * 1000 };
}

/** The chat template kwargs of a task: the model's, overridden key by key by the preset's; undefined when neither has any. */
export function chatTemplateKwargsFor(model: Pick<Model, 'chatTemplateKwargs'>, preset: Preset): Record<string, unknown> | undefined {
  const merged = { ...model.chatTemplateKwargs, ...preset.generation.chatTemplateKwargs };
  return Object.keys(merged).length ? merged : undefined;
}
