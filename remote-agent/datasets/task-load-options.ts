import type { Model } from '../../common/catalog/model';
import { hubCacheRoot } from './hub/cache';
import type { LoadOptions } from './types';
import type { RunRecord } from '../store/run-record';

/**
 * How a run loads a dataset for one of its models, the same for generating, rescoring and judging: paths resolve
 * where the run resolved them, the model's prompt form and context, the run's sample limit, the run's Hub cache.
 */
export function taskLoadOptions(run: RunRecord, model: Model): LoadOptions {
  return {
    root: run.provenance.datasetRoot,
    chat: model.chat,
    contextLength: run.request.preset.engine.maxModelLen ?? model.contextLength,
    limit: run.request.samples,
    cacheDir: hubCacheRoot(run.provenance.workdir),
  };
}
