import { z } from 'zod';
import { JobStateName } from './job-state';

export const Verdict = z.enum(['pass', 'fail', 'error']);
export type Verdict = z.infer<typeof Verdict>;

/** One line of predictions.jsonl: written as the engine answers, re-scored in place by rescore. */
export const PredictionSchema = z.object({
  id: z.string(),
  index: z.number().int().nonnegative(),
  /** The prompt as sent: text for completions, messages for chat. */
  prompt: z.union([z.string(), z.array(z.object({ role: z.string(), content: z.unknown() }))]),
  output: z.string(),
  /** The model's thinking (vLLM's reasoning_content, or a <think> block), kept apart from `output`: shown, never scored. */
  reasoning: z.string().optional(),
  /** One entry per completion when samplesPerPrompt > 1. */
  outputs: z.array(z.string()).optional(),
  finishReason: z.string().nullable(),
  promptTokens: z.number().int().nonnegative().nullable(),
  completionTokens: z.number().int().nonnegative().nullable(),
  latencyMs: z.number().nonnegative(),
  /** Set when generation itself failed (engine error, time-out); output is then empty. */
  error: z.string().optional(),
  truncated: z.boolean().optional(),
  verdict: Verdict.optional(),
  reason: z.string().optional(),
  extracted: z.string().optional(),
  reference: z.string().optional(),
  /** Per-completion verdicts, for pass@k. */
  passes: z.array(z.boolean()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  time: z.string(),
});
export type Prediction = z.infer<typeof PredictionSchema>;

export const ThroughputSchema = z.object({
  outputTokensPerS: z.number().nonnegative(),
  requestsPerS: z.number().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  wallS: z.number().nonnegative(),
  latencyP50Ms: z.number().nonnegative().optional(),
  latencyP95Ms: z.number().nonnegative().optional(),
});
export type Throughput = z.infer<typeof ThroughputSchema>;

/** Mean and percentiles of one latency over a task's requests, in milliseconds. */
export const LatencyStatsSchema = z.object({
  meanMs: z.number().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
  /** Requests measured. */
  n: z.number().int().nonnegative(),
});
export type LatencyStats = z.infer<typeof LatencyStatsSchema>;

/** How fast the model was served for a task, measured with streamed requests (preset generation `stream`). */
export const EfficiencySchema = z.object({
  /** Seconds from the engine's start to healthy (the job's engine, shared by the model's tasks). */
  engineLoadS: z.number().nonnegative().optional(),
  /** Requests in flight at once (the preset's concurrency). */
  concurrency: z.number().int().positive(),
  /** From sending a request to its first generated token. */
  timeToFirstToken: LatencyStatsSchema.optional(),
  /** Per request, (last token − first token) / (tokens − 1): the time per output token after the first. */
  interTokenLatency: LatencyStatsSchema.optional(),
  /** From sending a request to its last byte. */
  requestLatency: LatencyStatsSchema.optional(),
  outputTokensPerS: z.number().nonnegative(),
  /** Highest GPU memory in use on the job's GPUs (summed over them), MiB, sampled with nvidia-smi. */
  peakGpuMemoryMiB: z.number().nonnegative().optional(),
  /** Why peakGpuMemoryMiB is absent (e.g. "nvidia-smi not found"): unavailable, never zero. */
  gpuMemoryUnavailable: z.string().optional(),
});
export type Efficiency = z.infer<typeof EfficiencySchema>;

export const ExtraMetricSchema = z.object({
  value: z.number(),
  stderr: z.number().nonnegative(),
  /** Samples the metric is computed over. */
  n: z.number().int().nonnegative(),
});
export type ExtraMetric = z.infer<typeof ExtraMetricSchema>;

/** result.json of a task, written atomically when the task ends. */
export const TaskResultSchema = z.object({
  model: z.string(),
  dataset: z.string(),
  n: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  metric: z.string(),
  value: z.number(),
  stderr: z.number().nonnegative(),
  passAtK: z.record(z.string(), z.number()).optional(),
  reasons: z.record(z.string(), z.number().int()),
  /** Metrics beside the main one, by name, each over its own subset of samples (safety: refusal rate on harmful, over-refusal rate on benign). */
  extraMetrics: z.record(z.string(), ExtraMetricSchema).optional(),
  throughput: ThroughputSchema.optional(),
  /** Latency and memory of the serving engine, when the preset streams (generation `stream`). */
  efficiency: EfficiencySchema.optional(),
  /** Who graded a judged task: a catalog model id, or `model @ url` of an endpoint. */
  judge: z.string().optional(),
  /** Set when the task is a failure despite having run: most samples errored. */
  failure: z.string().optional(),
  scorer: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  jobId: z.string().optional(),
  reference: z.boolean().optional(),
});
export type TaskResult = z.infer<typeof TaskResultSchema>;

/**
 * What happened to a task: `done` means it ran to completion (its score says how well, separately); `failed` that
 * it could not. Agents before 0.2 called `done` "passed"; readers accept that spelling.
 */
const TASK_STATES = ['pending', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const TaskStateName = z.preprocess((v) => (v === 'passed' ? 'done' : v), z.enum(TASK_STATES));
export type TaskStateName = (typeof TASK_STATES)[number];

export const TaskStateSchema = z.object({
  model: z.string(),
  dataset: z.string(),
  state: TaskStateName,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  /** Why it failed, first: the root cause. */
  reason: z.string().optional(),
  value: z.number().optional(),
  stderr: z.number().optional(),
  metric: z.string().optional(),
  passRate: z.number().optional(),
  tokensPerS: z.number().optional(),
});
export type TaskState = z.infer<typeof TaskStateSchema>;

export const JobStateSchema = z.object({
  model: z.string(),
  jobId: z.string().nullable(),
  /** Scheduler state as SLURM names it (see job-state.ts); one this version does not know is kept, category `unknown`. */
  state: JobStateName,
  exitCode: z.string().optional(),
  node: z.string().optional(),
  reason: z.string().optional(),
});
export type JobState = z.infer<typeof JobStateSchema>;

export const RunSummarySchema = z.object({
  runId: z.string(),
  name: z.string().optional(),
  category: z.string().optional(),
  clusterId: z.string(),
  target: z.string(),
  createdAt: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** Task counts by state; `done` was called `passed` before 0.2 (still read). */
  tasks: z.preprocess(
    (v) =>
      v && typeof v === 'object' && !('done' in v) && 'passed' in v
        ? { ...(v as Record<string, unknown>), done: (v as Record<string, unknown>).passed }
        : v,
    z.object({ total: z.number().int(), done: z.number().int(), failed: z.number().int(), running: z.number().int() }),
  ),
  reference: z.boolean().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunStatusSchema = RunSummarySchema.extend({
  jobs: z.array(JobStateSchema),
  taskStates: z.array(TaskStateSchema),
  results: z.array(TaskResultSchema),
  /** From run.json: agent and node versions, user@host, work directory, seed, preset (for the task debugger). */
  provenance: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type RunStatus = z.infer<typeof RunStatusSchema>;
