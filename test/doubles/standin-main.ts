/**
 * Launcher of the vLLM stand-in, startable through an engine command template exactly like vLLM:
 *   node .test-artifacts/standin.js serve {hf} --port {port} {args}
 * (or `node --import tsx test/doubles/standin-main.ts serve …`). vLLM's flags are accepted and ignored, except
 * --port, --host, --served-model-name, --max-num-seqs, --max-logprobs and --reasoning-parser. Behaviour, by environment (or flag --standin-<name>):
 *   STANDIN_FIXTURE=file.json       prompt substring → output ({"sub": "out"} or {"responses": [...], "likely": [...]})
 *   STANDIN_LATENCY_MS=n            per request;  STANDIN_TOKEN_LATENCY_MS=n  per output token (with "stream": true,
 *                                   SSE chunks: the first token after both, then one token every TOKEN_LATENCY_MS)
 *   judge prompts (MT-Bench's)      "Rating: [[N]]" or "[[A]]"/"[[B]]"/"[[C]]", N from "[quality N]" in the answer
 *   STANDIN_JUDGE_GARBAGE=text      judge prompts grading an answer containing text get no verdict (unparseable)
 *   STANDIN_JUDGE_PREFER_FIRST=1    pairwise judge prompts always get "[[A]]" (position bias)
 *   STANDIN_STARTUP_MS=n            load time before listening
 *   STANDIN_FAIL_START=name         print a realistic failure and exit 1: oom, gated, module, kvcache, nofile, address;
 *                                   `hang`: never become healthy
 *   STANDIN_FAIL_START_WHILE=file   ... only while that file exists
 *   STANDIN_OOM_BELOW_TP=n          CUDA out of memory at start unless --tensor-parallel-size is n or more (weights split by TP)
 *   STANDIN_DIE_AFTER=n             crash (exit 1) when generation request n+1 arrives
 *   STANDIN_FAIL_FIRST=n            the first n generation requests answer 500
 *   STANDIN_FAIL_EVERY=k            every k-th generation request answers 500
 *   STANDIN_FAIL_MATCH=text         generation requests whose prompt contains text answer 500
 *   STANDIN_STATS_FILE=file         append one JSON line per generation request (count them across restarts)
 *   HF_HUB_OFFLINE=1                the model must be in the cache under $HF_HOME/hub (or a directory with config.json),
 *                                   else vLLM's "Invalid repository ID or local directory specified" (standin-offline.ts)
 *   --enable-lora --lora-modules    requests may name the adapter as their model
 *   STANDIN_TOKEN_MODE=mode         words (default) | llama2 | mistral | llama3: tokens, BOS and echoed text_offset as
 *                                   vLLM gives them for such tokenizers (standin-tokenizer.ts)
 *   STANDIN_THINKS=1                the model thinks first (<think>…</think>) unless enable_thinking is false;
 *                                   with --reasoning-parser the thinking goes to reasoning_content
 * vLLM's own checks are made (standin-refusals.ts): greedy n > 1, logprobs above --max-logprobs (default 20).
 * GET /stats answers the counters of this process (requests, completed, failed500, inFlight, maxInFlight, tokens).
 */
import fs from 'node:fs';
import { ENGINE_FAILURES } from './engine-failures';
import { parseStandinArgs } from './standin-config';
import { offlineLoadFailure } from './standin-offline';
import { VllmStandin } from './vllm-standin';

async function main(): Promise<void> {
  const config = parseStandinArgs(process.argv.slice(2), process.env);
  if (config.failStartWhile !== undefined && !fs.existsSync(config.failStartWhile)) config.failStart = undefined;
  if (config.oomBelowTp !== undefined && Number(config.flags.get('tensor-parallel-size') ?? 1) < config.oomBelowTp)
    config.failStart = 'oom';
  const log = (line: string): void =>
    void process.stdout.write(
      `INFO ${new Date().toISOString().slice(5, 19).replace('T', ' ')} [api_server.py:1] ${line}\n`,
    );
  log(`vLLM API server version 0.10.1-standin`);
  log(`args: ${process.argv.slice(2).join(' ')}`);
  const offline = offlineLoadFailure(config.model, config.revision, process.env);
  if (offline) {
    process.stderr.write(offline);
    process.exit(1);
  }
  if (config.failStart === 'hang') {
    log('Loading model weights…');
    setInterval(() => undefined, 1 << 30);
    return;
  }
  if (config.failStart) {
    const failure = ENGINE_FAILURES[config.failStart];
    process.stderr.write(failure ? failure.log : `RuntimeError: standin: unknown failure "${config.failStart}"\n`);
    process.exit(1);
  }
  if (config.startupMs > 0) {
    log('Loading model weights…');
    await new Promise((r) => setTimeout(r, config.startupMs));
  }
  const standin = new VllmStandin(config);
  try {
    const port = await standin.listen();
    log(`Starting vLLM API server 0 on http://${config.host}:${port}`);
    process.stdout.write('INFO:     Application startup complete.\n');
  } catch (e) {
    process.stderr.write(
      `Traceback (most recent call last):\n  File "api_server.py", line 1861, in create_server_socket\n    sock.bind(addr)\nOSError: [Errno 98] Address already in use\n(${(e as Error).message})\n`,
    );
    process.exit(1);
  }
  const shutdown = (): void => {
    log('Shutting down');
    void standin.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
