import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sample } from '../datasets/types';
import { splitContinuation } from '../generate/loglikelihood';
import { asMessages, asText } from '../generate/prompt-form';
import type { EngineHandle } from './types';

export const REFERENCE_MODEL_NAME = 'reference';

interface Message {
  role: string;
  content: unknown;
}

function messagesKey(messages: readonly Message[]): string {
  return JSON.stringify(messages.map((m) => [m.role, m.content]));
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * Which continuation is right: the reference output of a log-likelihood sample is the 0-based index (as the driver's
 * output is); a continuation's own text or a letter (A, B, …) are accepted too.
 */
function correctChoice(sample: Sample): number {
  const { continuations } = sample.choices!;
  const ref = sample.referenceOutput.trim();
  if (/^\d+$/.test(ref)) return Number(ref);
  const byText = continuations.findIndex((c) => c.trim() === ref);
  if (byText >= 0) return byText;
  return /^[A-Z]$/.test(ref) ? ref.charCodeAt(0) - 65 : -1;
}

/** What the reference engine knows: answers by exact prompt, and for log-likelihood, which echoed texts are right. */
class ReferenceBook {
  private readonly chat = new Map<string, string>();
  private readonly chatPrefixLengths = new Set<number>();
  private readonly text = new Map<string, string>();
  /**
   * context+continuation (as the driver sends it) → the context's length and whether it is the right choice; the
   * context alone too (`contextOnly`: the driver counts its tokens with one echo, as this engine has no /tokenize).
   */
  private readonly echoes = new Map<string, { contextLength: number; right: boolean; contextOnly?: boolean }>();

  register(samples: readonly Sample[]): void {
    for (const s of samples) {
      if (s.choices) {
        const right = correctChoice(s);
        s.choices.continuations.forEach((c, i) => {
          const split = splitContinuation(s.choices!.context, c);
          this.echoes.set(split.context + split.continuation, {
            contextLength: split.context.length,
            right: i === right,
          });
          if (!this.echoes.has(split.context))
            this.echoes.set(split.context, { contextLength: split.context.length, right: false, contextOnly: true });
        });
      } else {
        // Registered in both forms: the driver sends text or messages depending on the model, not the dataset.
        const messages = asMessages(s.prompt);
        this.text.set(asText(s.prompt), s.referenceOutput);
        this.chat.set(messagesKey(messages), s.referenceOutput);
        this.chatPrefixLengths.add(messages.length);
      }
    }
  }

  /** A multi-turn conversation is recognised by its first turn's messages. */
  answerChat(messages: readonly Message[]): string | undefined {
    const exact = this.chat.get(messagesKey(messages));
    if (exact !== undefined) return exact;
    for (const n of this.chatPrefixLengths) {
      if (n < messages.length) {
        const hit = this.chat.get(messagesKey(messages.slice(0, n)));
        if (hit !== undefined) return hit;
      }
    }
    return undefined;
  }

  answerText(prompt: string): string | undefined {
    return this.text.get(prompt);
  }

  echo(prompt: string): { contextLength: number; right: boolean; contextOnly?: boolean } | undefined {
    return this.echoes.get(prompt);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function notFound(res: http.ServerResponse, what: string): void {
  send(res, 400, {
    object: 'error',
    type: 'BadRequestError',
    code: 400,
    message: `reference engine: no registered sample has this ${what}`,
  });
}

function handle(book: ReferenceBook, path: string, body: Record<string, unknown>, res: http.ServerResponse): void {
  const n = typeof body.n === 'number' && body.n > 1 ? body.n : 1;
  const created = Math.floor(Date.now() / 1000);
  if (path === '/v1/chat/completions') {
    const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : [];
    const answer = book.answerChat(messages);
    if (answer === undefined) return notFound(res, 'prompt (messages)');
    const choices = Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: 'assistant', content: answer },
      finish_reason: 'stop',
    }));
    const usage = { prompt_tokens: words(JSON.stringify(messages)), completion_tokens: words(answer) * n };
    return send(res, 200, {
      id: 'ref',
      object: 'chat.completion',
      created,
      model: REFERENCE_MODEL_NAME,
      choices,
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  if (body.echo === true) {
    const known = book.echo(prompt);
    if (!known) return notFound(res, 'context and continuation');
    // The context is one "token", the continuation another (the right one far likelier), then one generated token.
    const promptTokens = known.contextOnly ? 1 : 2;
    const tokens = known.contextOnly
      ? [prompt, '']
      : [prompt.slice(0, known.contextLength), prompt.slice(known.contextLength), ''];
    const token_logprobs = known.contextOnly ? [null, 0] : [null, known.right ? -0.01 : -20, 0];
    const text_offset = known.contextOnly ? [0, prompt.length] : [0, known.contextLength, prompt.length];
    const choices = [
      {
        index: 0,
        text: prompt,
        logprobs: { tokens, token_logprobs, text_offset, top_logprobs: null },
        finish_reason: 'length',
      },
    ];
    return send(res, 200, {
      id: 'ref',
      object: 'text_completion',
      created,
      model: REFERENCE_MODEL_NAME,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1 },
    });
  }
  const answer = book.answerText(prompt);
  if (answer === undefined) return notFound(res, 'prompt (text)');
  const choices = Array.from({ length: n }, (_, index) => ({
    index,
    text: answer,
    logprobs: null,
    finish_reason: 'stop',
  }));
  const usage = { prompt_tokens: words(prompt), completion_tokens: words(answer) * n };
  send(res, 200, {
    id: 'ref',
    object: 'text_completion',
    created,
    model: REFERENCE_MODEL_NAME,
    choices,
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  });
}

/**
 * The built-in reference engine: an OpenAI-compatible server on 127.0.0.1, inside the agent, answering each prompt
 * with its sample's `referenceOutput` (served model name `reference`, so results are labelled). Runs the whole path
 * — driver, scoring, run store — without a GPU: every scorer should then pass.
 */
export async function startReferenceEngine(): Promise<EngineHandle> {
  const started = Date.now();
  const book = new ReferenceBook();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET') {
      if (path === '/health') return send(res, 200, {});
      if (path === '/v1/models')
        return send(res, 200, {
          object: 'list',
          data: [{ id: REFERENCE_MODEL_NAME, object: 'model', owned_by: 'evalbench' }],
        });
      if (path === '/version') return send(res, 200, { version: 'reference' });
      return send(res, 404, { message: 'not found' });
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(res, 400, { message: 'body is not JSON' });
      }
      if (path !== '/v1/chat/completions' && path !== '/v1/completions')
        return send(res, 404, { message: 'not found' });
      if (body.model !== REFERENCE_MODEL_NAME)
        return send(res, 404, {
          object: 'error',
          message: `The model \`${String(body.model)}\` does not exist.`,
          code: 404,
        });
      handle(book, path, body, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    servedModel: REFERENCE_MODEL_NAME,
    command: '',
    kind: 'reference',
    version: 'reference',
    loadS: (Date.now() - started) / 1000,
    reference: true,
    headers: {},
    registerSamples: (samples) => book.register(samples),
    stop: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
    outputTail: () => '',
    exited: new Promise<string>(() => undefined),
  };
}
