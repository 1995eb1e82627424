import type { ChatMessage, Sample } from '../datasets/types';
import type { EngineHandle } from '../engines/types';
import { drive } from '../generate/driver';
import type { TurnReply } from './grade';

/** MT-Bench asks its judge greedily, with room for the explanation before the verdict. */
export const JUDGE_MAX_TOKENS = 2048;

export interface JudgeCall {
  key: string;
  messages: ChatMessage[];
}

export interface SendJudgeOptions {
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called after each reply: how many of the calls are answered. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Sends judge requests through the generation driver (the same pool, retries and give-up on a dead engine), greedy,
 * and returns each call's reply by key: the judge's text, or the request's error.
 */
export async function sendJudgeRequests(
  engine: Pick<EngineHandle, 'baseUrl' | 'servedModel' | 'headers'>,
  calls: readonly JudgeCall[],
  o: SendJudgeOptions,
): Promise<{ replies: Map<string, TurnReply>; aborted: boolean }> {
  const replies = new Map<string, TurnReply>();
  // A judge call is a plain prompt that no scorer reads: the kind that carries nothing but its reference.
  const samples: Sample[] = calls.map((c, index) => ({
    id: c.key,
    index,
    prompt: c.messages,
    reference: '',
    referenceOutput: '',
    meta: { kind: 'jsonl' },
  }));
  const result = await drive({
    baseUrl: engine.baseUrl,
    servedModel: engine.servedModel,
    headers: engine.headers,
    samples,
    chat: true,
    settings: { temperature: 0, topP: 1, maxTokens: JUDGE_MAX_TOKENS },
    concurrency: o.concurrency,
    requestTimeoutMs: o.timeoutMs,
    signal: o.signal,
    onPrediction: (p) => {
      replies.set(p.id, p.error !== undefined ? { error: p.error } : { text: p.output });
      o.onProgress?.(replies.size, calls.length);
    },
  });
  return { replies, aborted: result.aborted };
}
