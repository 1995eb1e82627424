import fs from 'node:fs';
import { TOKEN_MODES, type TokenMode } from './standin-tokenizer';
import { VLLM_DEFAULT_MAX_LOGPROBS } from './standin-refusals';

/** How the stand-in behaves. Every field can come from a flag (`--standin-latency-ms 5`) or the environment (`STANDIN_LATENCY_MS=5`). */
export interface StandinConfig {
  servedModel: string;
  /** The model argument ({hf}) and --revision, checked against the cache when HF_HUB_OFFLINE=1 (standin-offline.ts). */
  model: string;
  revision?: string;
  /** Names of --lora-modules (vLLM's name=path or JSON form): requests may name them as their model. */
  loraNames: string[];
  host: string;
  port: number;
  /** Prompt substring → output, tried in order (last user message first, then the whole prompt). */
  responses: Array<{ match: string; output: string }>;
  /** Echoed tokens (trimmed) that get a high log-probability: makes a continuation win a log-likelihood choice. */
  likely: Set<string>;
  /** Per request (streaming: before the first token). */
  latencyMs: number;
  /** Per output token (streaming: before each token). */
  tokenLatencyMs: number;
  /** Before listening, as a loading model would. */
  startupMs: number;
  /** Print this failure (see engine-failures.ts) and exit 1 instead of starting; `hang`: never become healthy. */
  failStart?: string;
  /**
   * The weights need this many GPUs: with a smaller --tensor-parallel-size the start fails with vLLM's CUDA out of
   * memory (each tensor-parallel rank holds 1/TP of the weights).
   */
  oomBelowTp?: number;
  /** failStart applies only while this file exists (a fault a test can lift before a rerun). */
  failStartWhile?: string;
  /** After answering this many generation requests, the next one kills the process (a crash mid-run). */
  dieAfter?: number;
  /** Every k-th generation request answers 500. */
  failEvery?: number;
  /** The first k generation requests answer 500. */
  failFirst?: number;
  /** Generation requests whose prompt contains this answer 500, always. */
  failMatch?: string;
  /** Appends one JSON line per generation request (counts survive restarts, across jobs). */
  statsFile?: string;
  maxNumSeqs: number;
  /** Judge prompts grading an answer that contains this text get a judgement with no verdict in it. */
  judgeGarbage?: string;
  /** Pairwise judge prompts always get "[[A]]" (a position-biased judge). */
  judgePreferFirst?: boolean;
  /** How prompts become tokens (standin-tokenizer.ts): `words` (default), `llama2`, `mistral`, `llama3`. */
  tokenMode: TokenMode;
  /** vLLM's `--max-logprobs` (default 20): a request asking for more is refused. */
  maxLogprobs: number;
  /** The model thinks first (Qwen3): outputs start with `<think>…</think>` unless chat_template_kwargs.enable_thinking is false. */
  thinks: boolean;
  /** vLLM's `--reasoning-parser`: chat answers carry the thinking in `reasoning_content`, not in `content`. */
  reasoningParser?: string;
  /** vLLM flags as received (so tests can see what the agent asked the engine for). */
  flags: Map<string, string>;
}

/** Fixture file: `{"substring": "output", …}` or `{"responses": [{"match", "output"}], "likely": ["Paris"]}`. */
function readFixture(file: string): Pick<StandinConfig, 'responses' | 'likely'> {
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (Array.isArray(j.responses) || Array.isArray(j.likely)) {
    return {
      responses: (j.responses as StandinConfig['responses']) ?? [],
      likely: new Set((j.likely as string[]) ?? []),
    };
  }
  return {
    responses: Object.entries(j).map(([match, output]) => ({ match, output: String(output) })),
    likely: new Set(),
  };
}

function tokenMode(v: string | undefined): TokenMode {
  if (v === undefined || v === '') return 'words';
  if (!(TOKEN_MODES as readonly string[]).includes(v))
    throw new Error(`standin: unknown token mode "${v}" (one of ${TOKEN_MODES.join(', ')})`);
  return v as TokenMode;
}

/** Parses `serve <model> --port N [vLLM flags, all accepted and ignored] [--standin-* flags]`. */
export function parseStandinArgs(argv: readonly string[], env: NodeJS.ProcessEnv): StandinConfig {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags.set(a.slice(2), argv[++i]!);
    else flags.set(a.slice(2), 'true');
  }
  if (positional[0] === 'serve') positional.shift();
  const get = (name: string): string | undefined =>
    flags.get(`standin-${name}`) ?? env[`STANDIN_${name.toUpperCase().replace(/-/g, '_')}`];
  const num = (name: string): number | undefined => {
    const v = get(name);
    return v === undefined || v === '' ? undefined : Number(v);
  };
  const model = positional[0] ?? flags.get('model') ?? 'standin/model';
  const fixture = get('fixture');
  return {
    servedModel: flags.get('served-model-name') ?? model,
    model,
    revision: flags.get('revision'),
    loraNames: flags.has('enable-lora') && flags.get('lora-modules') ? [loraName(flags.get('lora-modules')!)] : [],
    host: flags.get('host') ?? '127.0.0.1',
    port: Number(flags.get('port') ?? 8000),
    ...(fixture ? readFixture(fixture) : { responses: [], likely: new Set<string>() }),
    latencyMs: num('latency-ms') ?? 0,
    tokenLatencyMs: num('token-latency-ms') ?? 0,
    startupMs: num('startup-ms') ?? 0,
    failStart: get('fail-start') || undefined,
    failStartWhile: get('fail-start-while') || undefined,
    oomBelowTp: num('oom-below-tp'),
    dieAfter: num('die-after'),
    failEvery: num('fail-every'),
    failFirst: num('fail-first'),
    failMatch: get('fail-match') || undefined,
    statsFile: get('stats-file') || undefined,
    maxNumSeqs: Number(flags.get('max-num-seqs') ?? 256),
    judgeGarbage: get('judge-garbage') || undefined,
    judgePreferFirst: get('judge-prefer-first') === '1' || get('judge-prefer-first') === 'true',
    tokenMode: tokenMode(get('token-mode')),
    maxLogprobs: Number(flags.get('max-logprobs') ?? VLLM_DEFAULT_MAX_LOGPROBS),
    thinks: get('thinks') === '1' || get('thinks') === 'true',
    reasoningParser: flags.get('reasoning-parser'),
    flags,
  };
}

/** A config for tests that start the stand-in in-process: any free port, no faults, overridable. */
export function standinConfig(overrides: Partial<StandinConfig> = {}): StandinConfig {
  return { ...parseStandinArgs(['serve', 'test/model', '--port', '0'], {}), ...overrides };
}

/** vLLM's LoRAParserAction: `name=path` when it has "=" and no ",", else JSON {"name", "path"}. */
function loraName(item: string): string {
  if (item.includes('=') && !item.includes(',')) return item.split('=')[0]!;
  return String((JSON.parse(item) as { name: unknown }).name);
}
