/** What kind of failure an engine's output shows. */
export type RootCauseKind =
  | 'out_of_memory'
  | 'gated_repo'
  | 'repo_not_found'
  | 'no_network'
  | 'disk_full'
  | 'invalid_model'
  | 'nccl'
  | 'missing_module'
  | 'missing_file'
  | 'address_in_use'
  | 'kv_cache'
  | 'cuda_error'
  | 'killed'
  | 'exception'
  | 'unknown';

export interface RootCause {
  kind: RootCauseKind;
  /** One line (at most two joined) from the engine's own output, log prefixes removed. */
  message: string;
  /** What it means and what to do, in plain words (absent for the kinds whose line says it all). */
  hint?: string;
  /** KV cache too small: the largest `--max-model-len` that fits, as vLLM estimated it. */
  maxModelLenFits?: number;
}

interface Rule {
  kind: RootCauseKind;
  pattern: RegExp;
  /** Also take the next non-empty line when it matches (Hugging Face prints its explanation on the following line). */
  next?: RegExp;
}

// Most specific first: vLLM wraps the real error in later, vaguer ones ("Engine core initialization failed", "Invalid
// repository ID or local directory specified", raised `from e` after the Hub's own error). Each rule's lines are quoted
// from the engine's source or a public issue in test/unit/remote-agent/engines/root-cause.test.ts.
const RULES: Rule[] = [
  {
    kind: 'out_of_memory',
    pattern: /CUDA out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED|HIP out of memory/,
  },
  {
    kind: 'kv_cache',
    pattern:
      /No available memory for the cache blocks|larger than the maximum number of tokens that can be stored in KV cache|KV cache is needed, which is larger than the available KV cache memory/,
  },
  { kind: 'disk_full', pattern: /No space left on device|Disk quota exceeded|\[Errno 28\]|\[Errno 122\]/ },
  // huggingface_hub: a gated repository says so, with 401 (no token) or 403 (a token without access).
  {
    kind: 'gated_repo',
    pattern: /Cannot access gated repo/,
    next: /^Access to model|^You must have access|^Please log in|^Your request to access/,
  },
  {
    kind: 'gated_repo',
    pattern: /GatedRepoError|access a gated repo|is a gated repo|Access to model .* is restricted/,
  },
  // Otherwise 401/404 mean "not found or not authorized": the Hub answers a private or mistyped id alike.
  {
    kind: 'repo_not_found',
    pattern:
      /RepositoryNotFoundError|Repository Not Found for url|is not a local folder and is not a valid model identifier/,
  },
  {
    kind: 'no_network',
    pattern:
      /We couldn't connect to 'https:\/\/huggingface\.co'|LocalEntryNotFoundError|OfflineModeIsEnabled|Failed to resolve '[\w.-]+'|Temporary failure in name resolution|Network is unreachable|Max retries exceeded with url|ConnectTimeoutError|Connection to huggingface\.co timed out/,
  },
  { kind: 'repo_not_found', pattern: /\b40[134] Client Error\b|Invalid user token|Unauthorized for url/ },
  { kind: 'invalid_model', pattern: /Invalid repository ID or local directory specified/ },
  { kind: 'missing_module', pattern: /ModuleNotFoundError|No module named|ImportError:|cannot import name/ },
  { kind: 'address_in_use', pattern: /Address already in use|EADDRINUSE|address already in use/ },
  { kind: 'missing_file', pattern: /No such file or directory|command not found|FileNotFoundError|: not found$/ },
  {
    kind: 'nccl',
    pattern: /NCCL error|ncclSystemError|ncclUnhandledCudaError|ncclInternalError|ncclInvalidUsage|NCCL WARN/,
  },
  {
    kind: 'cuda_error',
    pattern:
      /CUDA error|RuntimeError: No CUDA GPUs are available|Found no NVIDIA driver|CUDA driver version is insufficient|torch\.cuda\.is_available\(\) is False/,
  },
  { kind: 'killed', pattern: /^(?:.*\s)?Killed(?:\s|$)|oom-kill|Out of memory: Killed process/ },
];

/** What a kind means for the person reading the failure. */
const HINTS: Partial<Record<RootCauseKind, string>> = {
  gated_repo: 'the model is gated: the Hugging Face token is missing or has not been granted access to it',
  repo_not_found:
    'the repository was not found or not authorized: check the id (and revision), or give a token that can read it',
  no_network:
    'the node cannot reach huggingface.co and the model is not in the cache (HF_HOME): prefetch the weights where there is network',
  disk_full:
    'the disk or quota is full (often the Hugging Face cache under the home directory): point HF_HOME at a larger file system',
  invalid_model: 'vLLM found neither a Hugging Face repository nor a local directory with config.json under that name',
  nccl: 'the GPUs could not talk to each other (NCCL): run with NCCL_DEBUG=INFO; try a smaller tensor-parallel size or NCCL_P2P_DISABLE=1',
  kv_cache:
    'no room for the KV cache of one full-length sequence: lower --max-model-len or raise --gpu-memory-utilization',
};

// vllm/v1/core/kv_cache_utils.py: f"the estimated maximum model length is {estimated_max_len}. "
const KV_ESTIMATE = /the estimated maximum model length is (\d+)/;

function withHint(kind: RootCauseKind, message: string): RootCause {
  const fits = kind === 'kv_cache' ? KV_ESTIMATE.exec(message)?.[1] : undefined;
  const base = HINTS[kind];
  if (fits !== undefined)
    return {
      kind,
      message,
      hint: `${base}; the largest that fits is --max-model-len ${fits} (vLLM's estimate)`,
      maxModelLenFits: Number(fits),
    };
  return base ? { kind, message, hint: base } : { kind, message };
}

// Python's last word on an exception: `SomeError: message` at the start of a line.
const EXCEPTION_LINE = /^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b:?/;
// vLLM re-raises in the API server after the engine core died; these say nothing about why.
const WRAPPER_LINE =
  /Engine core initialization failed|See root cause above|EngineDeadError|EngineGenerateError|Failed core proc\(s\)|ProcessGroupNCCL|Traceback \(most recent call last\)/;
const GENERIC_ERROR = /\b(error|exception|fatal|failed|abort(ed)?)\b/i;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// `(EngineCore_DP0 pid=1234) ERROR 05-01 12:00:01 [core.py:700] ` and `ERROR 05-01 12:00:01.123 [api_server.py:1] `
const LOG_PREFIX =
  /^(?:\([\w.-]+(?: rank=\d+)? pid=\d+(?:, ip=[\d.]+)?\)\s*)?(?:(?:INFO|WARNING|ERROR|CRITICAL|DEBUG)\s+\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?\s+(?:\[[^\]]*\]\s*)?)?/;
const MAX_LENGTH = 500;

function clean(line: string): string {
  return line
    .replace(ANSI, '')
    .replace(LOG_PREFIX, '')
    .replace(/^\[rank\d+\]:\s*/, '')
    .trim();
}

function cap(s: string): string {
  return s.length > MAX_LENGTH ? `${s.slice(0, MAX_LENGTH - 1)}…` : s;
}

/**
 * The most telling error in an engine's output: the last line matching the most specific known failure (out of
 * memory, gated repository, missing module, …), else Python's last exception line that is not a mere wrapper,
 * else the last line that looks like an error, else the last line. Undefined for empty output.
 */
export function extractRootCause(output: string): RootCause | undefined {
  const lines = output
    .split(/\r?\n/)
    .map(clean)
    .filter((l) => l !== '');
  if (!lines.length) return undefined;
  for (const rule of RULES) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (!rule.pattern.test(line)) continue;
      const following = lines[i + 1];
      const message = rule.next && following !== undefined && rule.next.test(following) ? `${line} ${following}` : line;
      return withHint(rule.kind, cap(message));
    }
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (EXCEPTION_LINE.test(line) && !WRAPPER_LINE.test(line)) return { kind: 'exception', message: cap(line) };
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (GENERIC_ERROR.test(line) && !WRAPPER_LINE.test(line)) return { kind: 'unknown', message: cap(line) };
  }
  return { kind: 'unknown', message: cap(lines[lines.length - 1]!) };
}
