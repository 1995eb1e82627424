/**
 * The request checks vLLM makes before generating, with its own messages (each answered 400 BadRequestError, as
 * vLLM's serving layer turns the ValueError into `create_error_response(str(e))`).
 */

/** vllm/config (ModelConfig): `max_logprobs: int = 20` — "Maximum number of log probabilities to return". */
export const VLLM_DEFAULT_MAX_LOGPROBS = 20;
/** vllm/sampling_params.py: `_SAMPLING_EPS = 1e-5`; `if self.temperature < _SAMPLING_EPS: # Zero temperature means greedy sampling.` */
const SAMPLING_EPS = 1e-5;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The message vLLM answers a request with, or undefined when it would accept it. */
export function vllmRefusal(
  body: Record<string, unknown>,
  chat: boolean,
  maxLogprobs = VLLM_DEFAULT_MAX_LOGPROBS,
): string | undefined {
  const n = num(body.n) ?? 1;
  // protocol.py: the request's temperature, else the model's generation_config default, else 1.0 (_DEFAULT_SAMPLING_PARAMS).
  const temperature = num(body.temperature) ?? 1.0;
  const maxTokens = num(body.max_tokens) ?? num(body.max_completion_tokens);
  // sampling_params.py _verify_args: f"max_tokens must be at least 1, got {self.max_tokens}."
  if (maxTokens !== undefined && maxTokens < 1) return `max_tokens must be at least 1, got ${maxTokens}.`;
  // sampling_params.py _verify_greedy_sampling: f"n must be 1 when using greedy sampling, got {self.n}."
  if (temperature < SAMPLING_EPS && n > 1) return `n must be 1 when using greedy sampling, got ${n}.`;
  // Chat asks with top_logprobs (logprobs: true); completions with logprobs: k. Echo also asks for the prompt's
  // (protocol.py CompletionRequest.to_sampling_params: `prompt_logprobs = self.logprobs` when echo).
  const sample = chat ? (body.logprobs === true ? (num(body.top_logprobs) ?? 0) : undefined) : num(body.logprobs);
  // v1/engine/processor.py _validate_logprobs: f"Requested sample logprobs of {num_logprobs}, which is greater than max allowed: {max_logprobs}"
  if (sample !== undefined && sample > maxLogprobs)
    return `Requested sample logprobs of ${sample}, which is greater than max allowed: ${maxLogprobs}`;
  const prompt = num(body.prompt_logprobs) ?? (!chat && body.echo === true ? sample : undefined);
  if (prompt !== undefined && prompt > maxLogprobs)
    return `Requested prompt logprobs of ${prompt}, which is greater than max allowed: ${maxLogprobs}`;
  return undefined;
}
