/** What kind of failure an engine's output shows. */
export type RootCauseKind =
  | 'out_of_memory'
  | 'gated_repo'
  | 'repo_not_found'
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
}

interface Rule {
  kind: RootCauseKind;
  pattern: RegExp;
  /** Also take the next non-empty line when it matches (Hugging Face prints its explanation on the following line). */
  next?: RegExp;
}

// Most specific first: vLLM wraps the real error in later, vaguer ones ("Engine core initialization failed").
const RULES: Rule[] = [
  { kind: 'out_of_memory', pattern: /CUDA out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED|HIP out of memory/ },
  { kind: 'kv_cache', pattern: /No available memory for the cache blocks|larger than the maximum number of tokens that can be stored in KV cache|KV cache is needed, which is larger than the available KV cache memory/ },
  { kind: 'gated_repo', pattern: /Cannot access gated repo/, next: /^Access to model|^You must have access|^Please log in/ },
  { kind: 'gated_repo', pattern: /GatedRepoError|access a gated repo|is a gated repo|Access to model .* is restricted/ },
  { kind: 'gated_repo', pattern: /\b40[13] Client Error\b|Invalid user token|Unauthorized for url/ },
  { kind: 'repo_not_found', pattern: /Invalid repository ID or local directory specified|RepositoryNotFoundError|Repository Not Found|is not a local folder and is not a valid model identifier|404 Client Error/ },
  { kind: 'missing_module', pattern: /ModuleNotFoundError|No module named|ImportError:|cannot import name/ },
  { kind: 'address_in_use', pattern: /Address already in use|EADDRINUSE|address already in use/ },
  { kind: 'missing_file', pattern: /No such file or directory|command not found|FileNotFoundError|: not found$/ },
  { kind: 'cuda_error', pattern: /CUDA error|NCCL error|RuntimeError: No CUDA GPUs are available|Found no NVIDIA driver|CUDA driver version is insufficient|torch\.cuda\.is_available\(\) is False/ },
  { kind: 'killed', pattern: /^(?:.*\s)?Killed(?:\s|$)|oom-kill|Out of memory: Killed process/ },
];

// Python's last word on an exception: `SomeError: message` at the start of a line.
const EXCEPTION_LINE = /^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b:?/;
// vLLM re-raises in the API server after the engine core died; these say nothing about why.
const WRAPPER_LINE = /Engine core initialization failed|See root cause above|EngineDeadError|EngineGenerateError|Failed core proc\(s\)|ProcessGroupNCCL|Traceback \(most recent call last\)/;
const GENERIC_ERROR = /\b(error|exception|fatal|failed|abort(ed)?)\b/i;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// `(EngineCore_DP0 pid=1234) ERROR 05-01 12:00:01 [core.py:700] ` and `ERROR 05-01 12:00:01.123 [api_server.py:1] `
const LOG_PREFIX = /^(?:\([\w.-]+ pid=\d+\)\s*)?(?:(?:INFO|WARNING|ERROR|CRITICAL|DEBUG)\s+\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?\s+(?:\[[^\]]*\]\s*)?)?/;
const MAX_LENGTH = 500;

function clean(line: string): string {
  return line.replace(ANSI, '').replace(LOG_PREFIX, '').replace(/^\[rank\d+\]:\s*/, '').trim();
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
  const lines = output.split(/\r?\n/).map(clean).filter((l) => l !== '');
  if (!lines.length) return undefined;
  for (const rule of RULES) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (!rule.pattern.test(line)) continue;
      const following = lines[i + 1];
      const message = rule.next && following !== undefined && rule.next.test(following) ? `${line} ${following}` : line;
      return { kind: rule.kind, message: cap(message) };
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
