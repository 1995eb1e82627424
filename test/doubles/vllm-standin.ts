import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandinConfig } from './standin-config';
import { judgeReply } from './standin-judge';
import { completionLogprobs } from './standin-logprobs';
import { vllmRefusal } from './standin-refusals';
import { streamAnswer } from './standin-stream';
import { StandinTokenizer } from './standin-tokenizer';
import { metricsPage, type StandinStats } from './standin-metrics';
import { contentText, imageParts, tokenize, withoutTags, type Message } from './standin-messages';
import { send, vllmError } from './standin-http';

/**
 * The GPU inference-server stand-in: speaks vLLM's OpenAI-compatible HTTP API (/health, /version, /v1/models,
 * /tokenize, /v1/completions with logprobs and echo, /v1/chat/completions, streaming (SSE) on both, /metrics with
 * vLLM's names) and answers deterministically, judge prompts included. It refuses what vLLM refuses (standin-refusals.ts),
 * tokenizes as the configured token mode (standin-tokenizer.ts) and thinks like Qwen3 when told to. The only test double of the project: everything around it is real.
 */

function wait(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

export class VllmStandin {
  readonly stats: StandinStats = {
    requests: 0,
    completed: 0,
    failed500: 0,
    inFlight: 0,
    maxInFlight: 0,
    generationTokens: 0,
    promptTokens: 0,
  };
  private readonly server: http.Server;
  private readonly tok: StandinTokenizer;

  /** `die`: what a crash mid-run does (the launcher exits the process; in-process tests may close the server instead). */
  constructor(
    private readonly config: StandinConfig,
    private readonly die: () => void = () => process.exit(1),
  ) {
    this.tok = new StandinTokenizer(config.tokenMode);
    this.server = http.createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  /** Listens on config.host:config.port (0: any free port); resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () =>
        resolve((this.server.address() as AddressInfo).port),
      );
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET') {
      switch (path) {
        case '/health':
          res.writeHead(200, { 'content-length': 0 });
          return void res.end();
        case '/version':
          return send(res, 200, { version: '0.10.1-standin' });
        case '/v1/models':
          return send(res, 200, {
            object: 'list',
            data: [
              {
                id: this.config.servedModel,
                object: 'model',
                created: 0,
                owned_by: 'vllm',
                root: this.config.servedModel,
                max_model_len: 8192,
              },
            ],
          });
        case '/metrics':
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
          return void res.end(metricsPage(this.stats, this.config));
        case '/stats':
          return send(res, 200, this.stats);
        default:
          return vllmError(res, 404, 'NotFoundError', `Not Found: ${path}`);
      }
    }
    if (
      req.method !== 'POST' ||
      (path !== '/v1/completions' && path !== '/v1/chat/completions' && path !== '/tokenize')
    )
      return vllmError(res, 404, 'NotFoundError', `Not Found: ${path}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(
          chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
        ) as Record<string, unknown>;
      } catch {
        return vllmError(res, 400, 'BadRequestError', 'Invalid JSON body');
      }
      if (path === '/tokenize') return this.tokenizeRequest(body, res);
      void this.generate(path === '/v1/chat/completions', body, res);
    });
  }

  private async generate(chat: boolean, body: Record<string, unknown>, res: http.ServerResponse): Promise<void> {
    const s = this.stats;
    const c = this.config;
    if (c.dieAfter !== undefined && s.requests >= c.dieAfter) {
      process.stderr.write(
        '(EngineCore_0 pid=1) ERROR [core.py:710] RuntimeError: CUDA error: an illegal memory access was encountered\n',
      );
      res.socket?.destroy();
      return this.die();
    }
    s.requests++;
    s.inFlight++;
    if (s.inFlight > s.maxInFlight) s.maxInFlight = s.inFlight;
    try {
      await this.answer(chat, body, res);
    } finally {
      s.inFlight--;
    }
  }

  private async answer(chat: boolean, body: Record<string, unknown>, res: http.ServerResponse): Promise<void> {
    const c = this.config;
    const s = this.stats;
    if (body.model !== c.servedModel && !c.loraNames.includes(String(body.model)))
      return vllmError(res, 404, 'NotFoundError', `The model \`${String(body.model)}\` does not exist.`);
    const refusal = vllmRefusal(body, chat, c.maxLogprobs);
    if (refusal !== undefined) return vllmError(res, 400, 'BadRequestError', refusal);
    let promptText: string;
    let promptIds: number[] | undefined;
    let lastUser: string;
    let images = 0;
    if (chat) {
      if (!Array.isArray(body.messages)) return vllmError(res, 400, 'BadRequestError', "Field required: 'messages'");
      const messages = body.messages as Message[];
      const parts = imageParts(messages);
      if (parts.invalid) return vllmError(res, 400, 'BadRequestError', parts.invalid);
      images = parts.count;
      promptText = messages.map((m) => contentText(m.content)).join('\n');
      lastUser = contentText([...messages].reverse().find((m) => m.role === 'user')?.content);
    } else {
      // protocol.py CompletionRequest: `prompt: Optional[Union[list[int], list[list[int]], str, list[str]]]` (one prompt here).
      if (Array.isArray(body.prompt) && body.prompt.every((t) => Number.isInteger(t))) {
        promptIds = body.prompt as number[];
        promptText = lastUser = this.tok.decode(promptIds);
      } else if (typeof body.prompt === 'string') {
        promptText = lastUser = body.prompt;
      } else {
        return vllmError(res, 400, 'BadRequestError', "Field required: 'prompt' (a string or a list of token ids)");
      }
    }
    if (c.statsFile)
      fs.appendFileSync(
        c.statsFile,
        JSON.stringify({
          model: String(body.model),
          chat,
          prompt: promptText.slice(0, 200),
          ...(images ? { images } : {}),
        }) + '\n',
      );
    const n = s.requests;
    if (
      (c.failFirst !== undefined && n <= c.failFirst) ||
      (c.failEvery !== undefined && n % c.failEvery === 0) ||
      (c.failMatch !== undefined && promptText.includes(c.failMatch))
    ) {
      s.failed500++;
      return vllmError(res, 500, 'InternalServerError', 'standin: simulated engine error');
    }
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
    const stop = Array.isArray(body.stop) ? (body.stop as string[]) : typeof body.stop === 'string' ? [body.stop] : [];
    const thinking =
      c.thinks && (body.chat_template_kwargs as { enable_thinking?: unknown } | undefined)?.enable_thinking !== false;
    const { text, finish, tokens, reasoning } = this.output(lastUser, promptText, maxTokens, stop, thinking);
    // protocol.py: `add_special_tokens` defaults to True for completions (BOS added) and False for chat.
    promptIds ??= this.tok.encode(promptText, chat ? false : body.add_special_tokens !== false);
    const promptTokens = promptIds.length;
    const choicesN = typeof body.n === 'number' && body.n > 1 ? body.n : 1;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: tokens * choicesN,
      total_tokens: promptTokens + tokens * choicesN,
    };
    const created = Math.floor(Date.now() / 1000);
    const id = `cmpl-${s.requests}`;
    if (body.stream === true) {
      const options = body.stream_options as { include_usage?: unknown } | undefined;
      const parsed = chat && c.reasoningParser !== undefined;
      await streamAnswer(res, {
        chat,
        id: chat ? `chat${id}` : id,
        created,
        model: c.servedModel,
        tokens: tokenize(parsed ? text : reasoning + text),
        reasoningTokens: parsed ? tokenize(withoutTags(reasoning)) : [],
        finish,
        choices: choicesN,
        usage,
        includeUsage: options?.include_usage === true,
        latencyMs: c.latencyMs,
        tokenLatencyMs: c.tokenLatencyMs,
      });
      s.completed++;
      s.promptTokens += promptTokens;
      s.generationTokens += tokens * choicesN;
      return;
    }
    await wait(c.latencyMs + c.tokenLatencyMs * tokens);
    s.completed++;
    s.promptTokens += promptTokens;
    s.generationTokens += tokens * choicesN;
    if (chat) {
      // With --reasoning-parser, vLLM's chat message carries the thinking in `reasoning_content` (without the tags).
      const parsed = c.reasoningParser !== undefined;
      const message = {
        role: 'assistant',
        content: parsed ? text : reasoning + text,
        reasoning_content: parsed && reasoning ? withoutTags(reasoning) : null,
        tool_calls: [],
      };
      const choices = Array.from({ length: choicesN }, (_, index) => ({
        index,
        message,
        logprobs: null,
        finish_reason: finish,
        stop_reason: null,
      }));
      return send(res, 200, {
        id: `chat${id}`,
        object: 'chat.completion',
        created,
        model: c.servedModel,
        choices,
        usage,
      });
    }
    const echo = body.echo === true;
    const wantLogprobs = typeof body.logprobs === 'number';
    const choices = Array.from({ length: choicesN }, (_, index) => ({
      index,
      text: echo ? promptText + reasoning + text : reasoning + text,
      logprobs: wantLogprobs
        ? completionLogprobs(this.tok, c.likely, echo ? promptIds! : [], this.tok.encode(reasoning + text, false))
        : null,
      finish_reason: finish,
      stop_reason: null,
    }));
    send(res, 200, { id, object: 'text_completion', created, model: c.servedModel, choices, usage });
  }

  /**
   * A judge prompt gets a verdict (standin-judge.ts); else a fixture match on the last user message, then the whole
   * prompt; else a default derived from the prompt. Cut at max_tokens (words) and stop strings.
   */
  private output(
    lastUser: string,
    promptText: string,
    maxTokens: number,
    stop: string[],
    thinking = false,
  ): { text: string; finish: string; tokens: number; reasoning: string } {
    const rules = this.config.responses;
    let text =
      judgeReply(promptText, this.config) ??
      (rules.find((r) => lastUser.includes(r.match)) ?? rules.find((r) => promptText.includes(r.match)))?.output ??
      `standin says: ${lastUser.trim().split(/\s+/).slice(-8).join(' ')}`;
    let finish = 'stop';
    for (const s of stop) {
      const at = s ? text.indexOf(s) : -1;
      if (at >= 0) text = text.slice(0, at);
    }
    let tokens = tokenize(text);
    if (tokens.length > maxTokens) {
      tokens = tokens.slice(0, maxTokens);
      text = tokens.join('');
      finish = 'length';
    }
    const reasoning = thinking
      ? `<think>\nstandin reasons about: ${lastUser.trim().split(/\s+/).slice(-4).join(' ')}\n</think>\n\n`
      : '';
    return { text, finish, tokens: tokens.length + tokenize(reasoning).length, reasoning };
  }

  /** vLLM's POST /tokenize (serving_tokenization.py): `{count, max_model_len, tokens, token_strs}`; BOS added unless add_special_tokens is false. */
  private tokenizeRequest(body: Record<string, unknown>, res: http.ServerResponse): void {
    if (body.model !== undefined && body.model !== this.config.servedModel)
      return vllmError(res, 404, 'NotFoundError', `The model \`${String(body.model)}\` does not exist.`);
    let text: string;
    if (typeof body.prompt === 'string') text = body.prompt;
    else if (Array.isArray(body.messages))
      text = (body.messages as Message[]).map((m) => contentText(m.content)).join('\n');
    else return vllmError(res, 400, 'BadRequestError', "Field required: 'prompt' or 'messages'");
    const tokens = this.tok.encode(
      text,
      body.add_special_tokens !== undefined ? body.add_special_tokens !== false : typeof body.prompt === 'string',
    );
    const strs = body.return_token_strs === true ? { token_strs: tokens.map((t) => this.tok.decodeOne(t)) } : {};
    send(res, 200, { count: tokens.length, max_model_len: 8192, tokens, ...strs });
  }
}
