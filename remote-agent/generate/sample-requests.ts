import type { ChatMessage, Sample } from '../datasets/types';
import { asMessages, asText } from './prompt-form';
import type { GeneratedPrediction, RequestSettings } from './types';
import type { ParsedCompletion } from './openai-response';
import {
  argmax,
  continuationLogprob,
  LOGPROBS_PER_TOKEN,
  splitContinuation,
  type CompletionLogprobs,
} from './loglikelihood';

/** Sends one request (with retries) and returns its parsed answer; counts tokens into the throughput. */
export type Call = (
  path: '/v1/chat/completions' | '/v1/completions',
  body: Record<string, unknown>,
  chat: boolean,
) => Promise<ParsedCompletion>;

/** The fields of a prediction that a sample's generation decides. */
export type SampleOutcome = Pick<
  GeneratedPrediction,
  'prompt' | 'output' | 'reasoning' | 'outputs' | 'finishReason' | 'promptTokens' | 'completionTokens' | 'details'
>;

export interface RequestContext {
  call: Call;
  /** The number of tokens the engine makes of a text prompt (BOS included), as its /v1/completions would count them. */
  countTokens: (text: string) => Promise<number>;
  servedModel: string;
  settings: RequestSettings;
  chat: boolean;
}

function samplingFields(s: RequestSettings): Record<string, unknown> {
  const body: Record<string, unknown> = { temperature: s.temperature, top_p: s.topP, max_tokens: s.maxTokens };
  if (s.seed !== undefined) body.seed = s.seed;
  if (s.stop?.length) body.stop = s.stop;
  if (s.n !== undefined && s.n > 1) body.n = s.n;
  return body;
}

/** Chat requests also carry the chat template's kwargs (protocol.py ChatCompletionRequest.chat_template_kwargs). */
function chatFields(s: RequestSettings): Record<string, unknown> {
  return s.chatTemplateKwargs && Object.keys(s.chatTemplateKwargs).length
    ? { ...samplingFields(s), chat_template_kwargs: s.chatTemplateKwargs }
    : samplingFields(s);
}

function sumTokens(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}

function outcomeOf(prompt: SampleOutcome['prompt'], r: ParsedCompletion): SampleOutcome {
  return {
    prompt,
    output: r.texts[0] ?? '',
    ...(r.reasonings[0] ? { reasoning: r.reasonings[0] } : {}),
    ...(r.texts.length > 1 ? { outputs: r.texts } : {}),
    finishReason: r.finishReason,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
  };
}

/** One prompt, one request: chat messages to /v1/chat/completions, text to /v1/completions. */
export async function generateSingle(sample: Sample, ctx: RequestContext): Promise<SampleOutcome> {
  if (ctx.chat) {
    const messages = asMessages(sample.prompt);
    const r = await ctx.call(
      '/v1/chat/completions',
      { model: ctx.servedModel, messages, ...chatFields(ctx.settings) },
      true,
    );
    return outcomeOf(messages, r);
  }
  const prompt = asText(sample.prompt);
  const r = await ctx.call(
    '/v1/completions',
    { model: ctx.servedModel, prompt, ...samplingFields(ctx.settings) },
    false,
  );
  return outcomeOf(prompt, r);
}

/**
 * Multi-turn (MT-Bench): the first prompt, then each follow-up as a user turn after the model's previous answer.
 * `output` is the last answer, `details.turns` every answer in order, `prompt` the last conversation sent.
 */
export async function generateMultiTurn(sample: Sample, ctx: RequestContext): Promise<SampleOutcome> {
  const messages: ChatMessage[] = [...asMessages(sample.prompt)];
  const sampling = { ...chatFields(ctx.settings), n: undefined };
  const turns: string[] = [];
  let promptTokens: number | null = null;
  let completionTokens: number | null = null;
  let last: ParsedCompletion | undefined;
  for (const followUp of [undefined, ...(sample.followUps ?? [])]) {
    if (followUp !== undefined)
      messages.push({ role: 'assistant', content: turns[turns.length - 1] ?? '' }, { role: 'user', content: followUp });
    last = await ctx.call(
      '/v1/chat/completions',
      { model: ctx.servedModel, messages: [...messages], ...sampling },
      true,
    );
    turns.push(last.texts[0] ?? '');
    promptTokens = sumTokens(promptTokens, last.promptTokens);
    completionTokens = sumTokens(completionTokens, last.completionTokens);
  }
  const reasoning = last?.reasonings[0];
  return {
    prompt: messages,
    output: turns[turns.length - 1] ?? '',
    ...(reasoning ? { reasoning } : {}),
    finishReason: last?.finishReason ?? null,
    promptTokens,
    completionTokens,
    details: { turns },
  };
}

/**
 * Log-likelihood multiple choice, as lm-evaluation-harness does it: the context's token count comes from the engine
 * (vLLM's /tokenize, else an echo of the context alone), each context+continuation is echoed through /v1/completions
 * with logprobs, and the log-probabilities of the tokens after the context's count are summed. `output` is the 0-based
 * index of the chosen continuation as a string (what the choice scorer reads in this mode); `details` holds every sum,
 * the choice by sum (`choiceIndex`, lm-eval's acc) and by sum per character (`choiceIndexNorm`, lm-eval's acc_norm).
 */
export async function scoreChoices(sample: Sample, ctx: RequestContext): Promise<SampleOutcome> {
  const { context, continuations } = sample.choices!;
  const sums: number[] = [];
  const lengths: number[] = [];
  let promptTokens: number | null = null;
  const contextTokensBySplit = new Map<string, number>();
  for (const raw of continuations) {
    const split = splitContinuation(context, raw);
    let contextTokens = contextTokensBySplit.get(split.context);
    if (contextTokens === undefined) {
      contextTokens = await ctx.countTokens(split.context);
      contextTokensBySplit.set(split.context, contextTokens);
    }
    const body = {
      model: ctx.servedModel,
      prompt: split.context + split.continuation,
      max_tokens: 1,
      temperature: 0,
      logprobs: LOGPROBS_PER_TOKEN,
      echo: true,
    };
    const r = await ctx.call('/v1/completions', body, false);
    const lp = r.logprobs as CompletionLogprobs | undefined;
    if (!lp || !Array.isArray(lp.tokens) || !Array.isArray(lp.token_logprobs)) {
      throw new Error(
        'the engine returned no echoed logprobs (it must support "echo" with "logprobs" on /v1/completions)',
      );
    }
    const { sum } = continuationLogprob(lp, contextTokens, r.promptTokens ?? undefined);
    sums.push(sum);
    lengths.push(Math.max(1, raw.length));
    promptTokens = sumTokens(promptTokens, r.promptTokens);
  }
  const choiceIndex = argmax(sums);
  const choiceIndexNorm = argmax(sums.map((s, i) => s / lengths[i]!));
  return {
    prompt: context,
    output: String(choiceIndex),
    finishReason: 'loglikelihood',
    promptTokens,
    completionTokens: 0,
    details: { loglikelihoods: sums, choiceIndex, choiceIndexNorm },
  };
}
