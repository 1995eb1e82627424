export interface SandboxLimits {
  /** CPU-time limit per sample (RLIMIT_CPU, whole seconds): CPU rather than wall time, so a loaded machine does not fail correct code. */
  timeoutS: number;
  /** Wall-clock limit, for code that sleeps or blocks; everything the sample started is killed when it passes (default 3 × timeoutS). */
  wallS?: number;
  /** Address-space limit (RLIMIT_AS); 0 for none. */
  memoryMb: number;
  /** Largest file, stdout/stderr included (RLIMIT_FSIZE). */
  fileMb: number;
  /** Files a sample may create in its directory. */
  maxFiles: number;
  /** How long past the wall-clock limit the agent waits for a launcher before it kills and replaces it. */
  graceS?: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutS: 10, memoryMb: 2048, fileMb: 16, maxFiles: 64 };

/**
 * One sample. The model's code runs alone in an untrusted process; the tests run in another process, where every
 * name the model's code defined is a proxy that passes plain data across. The verdict is the test process's.
 */
export interface SandboxJob {
  /** Run in order in the sample's process: [file name, source] (test imports first where a benchmark has them, then the solution). */
  solution: Array<[name: string, source: string]>;
  /** Trusted code the test process runs before binding the sample's names (HumanEval's prompt, whose helpers the tests use). */
  context?: string;
  /** Run in order in the test process; a failure in `test.py` is reported by assert number. */
  tests: Array<[name: string, source: string]>;
  /** Always bound to the sample's definition, even where `context` defined it (a stub). */
  entryPoint?: string;
  timeoutS?: number;
}

export interface SandboxResult {
  verdict: 'pass' | 'fail' | 'error';
  reason: string;
  /** The last 2 KB of what the sample printed. */
  output?: string;
  outputBytes?: number;
  wallMs?: number;
}
