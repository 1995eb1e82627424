import type { Dataset } from '../../common/catalog/dataset';
import type { Model } from '../../common/catalog/model';
import type { Preset } from '../../common/catalog/preset';

/**
 * Why a job cannot be served by `transformers serve` (4.56–4.57, src/transformers/commands/serving.py), checked against
 * its source:
 * - it routes only `@app.post("/v1/chat/completions")` (and /v1/responses, /v1/audio/transcriptions): no /v1/completions,
 *   so no base-model prompts and no echo/logprobs for log-likelihood;
 * - UNUSED_CHAT_COMPLETION_FIELDS lists "logprobs", "n", "stop" and "stream_options": with input validation off (the
 *   default) they are ignored, so n > 1, stop sequences and the usage chunk of a stream never happen.
 * Empty when plain chat generation is all the job needs.
 */
export function bundledServerReasons(
  model: Pick<Model, 'chat'>,
  preset: Preset,
  datasets: readonly Pick<Dataset, 'mode' | 'stop'>[],
): string[] {
  const why: string[] = [];
  if (!model.chat) why.push('a base model needs /v1/completions');
  if (datasets.some((d) => d.mode === 'loglikelihood'))
    why.push('log-likelihood needs /v1/completions with echo and logprobs');
  if (preset.generation.samplesPerPrompt > 1)
    why.push(`samplesPerPrompt ${preset.generation.samplesPerPrompt} needs n > 1`);
  if (datasets.some((d) => (d.stop?.length ?? 0) > 0)) why.push('stop sequences');
  if (preset.generation.stream) why.push('streaming with usage in the last chunk (stream_options)');
  return why;
}
