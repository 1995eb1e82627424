import type { RootCause } from '../../../common/protocol/webview-debugger';
import type { RunEvent } from '../../../common/run/events';
import { jobStateCategory } from '../../../common/run/job-state';
import type { JobState, TaskResult, TaskState } from '../../../common/run/records';

export interface DiagnosisInput {
  job?: JobState;
  task?: TaskState;
  result?: TaskResult;
  /** The run's events about this model, oldest first. */
  events: RunEvent[];
  logTail?: string;
  errorCounts: Record<string, number>;
}

interface LogPattern {
  test: RegExp;
  says: string;
}

/** What a job's log reveals, in the order the causes usually happen. */
const LOG_PATTERNS: LogPattern[] = [
  {
    test: /CUDA out of memory|torch\.(cuda\.)?OutOfMemoryError|CUDA error: out of memory/i,
    says: 'the GPU ran out of memory',
  },
  {
    test: /No available memory for the cache blocks|KV cache .*(larger|exceeds|not enough)/i,
    says: 'no GPU memory left for the KV cache (lower max-model-len or raise gpu-memory-utilization)',
  },
  // A 401 alone is not "gated": the Hub answers it for mistyped and private repositories too (huggingface_hub _http.py).
  {
    test: /gated repo|Access to model .* is restricted|Cannot access gated repo/i,
    says: 'the model is gated: no Hugging Face token with access',
  },
  {
    test: /Repository Not Found|40[134] Client Error|is not a valid model identifier/i,
    says: 'the model repository was not found or not authorized',
  },
  {
    test: /We couldn't connect to 'https:\/\/huggingface\.co'|LocalEntryNotFoundError|Temporary failure in name resolution|Network is unreachable/,
    says: 'no network to huggingface.co and the model is not in the cache',
  },
  {
    test: /Invalid repository ID or local directory specified/,
    says: 'no Hugging Face repository or local directory with config.json by that name',
  },
  { test: /NCCL error|ncclSystemError|ncclUnhandledCudaError/, says: 'the GPUs could not communicate (NCCL)' },
  { test: /No space left on device|Disk quota exceeded/i, says: 'the disk is full' },
  { test: /Exceeded job memory limit|oom-kill|Out Of Memory|OUT_OF_MEMORY/, says: 'the job ran out of host memory' },
  { test: /DUE TO TIME LIMIT|TIMEOUT/, says: 'the job hit its time limit' },
  { test: /Address already in use/i, says: 'the engine port was taken' },
  { test: /ModuleNotFoundError: No module named '[^']+'/, says: 'a Python module is missing' },
  {
    test: /(command not found|No such file or directory).*(vllm|python|node)|(vllm|python|node).*(command not found|No such file or directory)/i,
    says: 'the engine command was not found',
  },
  { test: /health check|did not become healthy|engine exited/i, says: 'the engine did not come up' },
];

const WAITING_JOB_STATES = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'SUSPENDED']);

// What a log line says without who printed it when: vLLM's `(EngineCore_0 pid=1) ERROR 06-12 09:15:40 [core.py:700] `,
// the agent's `[evalbench 2025-…Z] `, and a leading "engine failed to start (…): " that only restates the title.
const LINE_PREFIXES = [
  /^\([\w.-]+ pid=\d+\)\s*/,
  /^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+\d\d-\d\d \d\d:\d\d:\d\d\s+\[[^\]]*\]\s*/,
  /^\[evalbench [^\]]*\]\s*/,
];

export function logMessage(line: string): string {
  let m = line.trim();
  for (const p of LINE_PREFIXES) m = m.replace(p, '');
  return m.trim();
}

/** Whether two log lines say the same thing (one's message holds the other's). */
function sameMessage(a: string, b: string): boolean {
  return a.includes(b) || b.includes(a);
}

/** Lines of the log that say why, each with what it means; a Python traceback contributes its last line. One line per message. */
export function logEvidence(text: string | undefined, max = 6): { lines: string[]; meaning?: string } {
  if (!text) return { lines: [] };
  const lines = text.split(/\r?\n/);
  const found: string[] = [];
  const add = (line: string) => {
    const message = logMessage(line);
    if (message && !found.some((f) => sameMessage(logMessage(f), message))) found.push(line.trim());
  };
  // The most specific pattern met anywhere wins (a gated repository's log also has a bare "401 Client Error" line).
  let best = LOG_PATTERNS.length;
  for (const line of lines) {
    const at = LOG_PATTERNS.findIndex((x) => x.test.test(line));
    if (at >= 0) {
      best = Math.min(best, at);
      add(line);
    }
  }
  const meaning = LOG_PATTERNS[best]?.says;
  const tracebackEnd = lastTracebackError(lines);
  if (tracebackEnd) add(tracebackEnd);
  return { lines: found.slice(-max), meaning };
}

/** The evidence less what the title already says: the cause line shows once, as the root cause. */
function apartFromTitle(rc: RootCause): RootCause {
  return { ...rc, evidence: rc.evidence.filter((line) => !rc.title.includes(logMessage(line))) };
}

// `SomeError: message`, alone on its line or after a log prefix such as vLLM's `(EngineCore pid=1) ERROR … [core.py:700] `.
const EXCEPTION = /(?:^|\]\s+)([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit)\b.*)$/;

function lastTracebackError(lines: string[]): string | undefined {
  const start = lines.map((l) => l.includes('Traceback (most recent call last)')).lastIndexOf(true);
  if (start < 0) return undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const m = EXCEPTION.exec(lines[i]!);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

function topErrors(counts: Record<string, number>, n = 3): string {
  return Object.entries(counts)
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([r, c]) => `${r} × ${c}`)
    .join(', ');
}

/** Pure: the most likely root cause of a task's (or job's) state, first, with the evidence for it (none twice). */
export function diagnose(input: DiagnosisInput): RootCause {
  return apartFromTitle(diagnoseFirst(input));
}

function diagnoseFirst(input: DiagnosisInput): RootCause {
  const { job, task, result, events } = input;
  const log = logEvidence(input.logTail);
  const engineFailed = [...events].reverse().find((e) => e.type === 'engine_failed');
  const taskFailed = [...events]
    .reverse()
    .find((e) => e.type === 'task_failed' && (!task || e.dataset === task.dataset));
  const jobState = job?.state.toUpperCase().replace(/ .*/, '');
  const exit = job?.exitCode ? ` (exit ${job.exitCode})` : '';

  if (task?.state === 'cancelled' || jobState === 'CANCELLED' || events.some((e) => e.type === 'run_cancelled')) {
    return { kind: 'cancelled', title: 'Cancelled', detail: job?.reason, evidence: log.lines };
  }
  if (engineFailed && engineFailed.type === 'engine_failed') {
    // The agent's reason often says "engine failed to start (how): cause" already.
    const reason = engineFailed.reason.replace(/^engine failed to start\b:?\s*/i, '');
    return {
      kind: 'engine',
      title: `The engine failed to start${reason.startsWith('(') ? ' ' : ': '}${reason}`,
      detail: log.meaning,
      evidence: log.lines,
    };
  }
  if (jobState && jobStateCategory(jobState) === 'failed') {
    return {
      kind: 'scheduler',
      title: `The job ended ${jobState}${exit}${log.meaning ? `: ${log.meaning}` : ''}`,
      detail: job?.reason,
      evidence: log.lines,
    };
  }
  if (result?.failure) {
    const errors = topErrors(input.errorCounts);
    return {
      kind: 'samples',
      title: result.failure,
      detail: errors ? `errors by reason: ${errors}` : undefined,
      evidence: log.lines,
    };
  }
  if (task?.state === 'failed') {
    const reason = task.reason ?? (taskFailed?.type === 'task_failed' ? taskFailed.reason : undefined);
    if (!reason && jobState === 'COMPLETED') {
      return {
        kind: 'task',
        title: `The job completed${exit} but the task wrote no result`,
        detail: log.meaning,
        evidence: log.lines,
      };
    }
    return {
      kind: 'task',
      title: reason ?? `The task failed${log.meaning ? `: ${log.meaning}` : ''}`,
      detail: reason ? log.meaning : undefined,
      evidence: log.lines,
    };
  }
  if (jobState && WAITING_JOB_STATES.has(jobState)) {
    return { kind: 'pending', title: `Waiting in the queue${job?.reason ? `: ${job.reason}` : ''}`, evidence: [] };
  }
  if (task?.state === 'queued' || task?.state === 'pending')
    return { kind: 'pending', title: 'Not started yet', evidence: [] };
  if (task?.state === 'running' || jobState === 'RUNNING') {
    const errors = topErrors(input.errorCounts);
    return {
      kind: 'none',
      title: 'Running',
      detail: errors ? `errors so far: ${errors}` : undefined,
      evidence: log.lines,
    };
  }
  if (task?.state === 'done' || result) {
    const errors = topErrors(input.errorCounts);
    return {
      kind: errors ? 'samples' : 'none',
      title: 'Finished',
      detail: errors ? `failing samples by reason: ${errors}` : undefined,
      evidence: [],
    };
  }
  return {
    kind: 'unknown',
    title: log.meaning ? `Unknown state; the log says ${log.meaning}` : 'No failure found',
    evidence: log.lines,
  };
}
