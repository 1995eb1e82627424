import { z } from 'zod';

const base = {
  time: z.string(),
  model: z.string().optional(),
  dataset: z.string().optional(),
  jobId: z.string().optional(),
};

/** One line of events.jsonl. The agent appends; watchers read from a byte offset. */
export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('run_created'), runId: z.string() }),
  z.object({ ...base, type: z.literal('job_submitted'), model: z.string(), jobId: z.string() }),
  z.object({ ...base, type: z.literal('job_started'), model: z.string(), node: z.string().optional() }),
  z.object({ ...base, type: z.literal('engine_starting'), model: z.string(), command: z.string() }),
  z.object({
    ...base,
    type: z.literal('engine_ready'),
    model: z.string(),
    loadS: z.number(),
    version: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('engine_failed'), model: z.string(), reason: z.string() }),
  z.object({
    ...base,
    type: z.literal('task_started'),
    model: z.string(),
    dataset: z.string(),
    total: z.number().int(),
    skipped: z.number().int(),
  }),
  z.object({
    ...base,
    type: z.literal('progress'),
    model: z.string(),
    dataset: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    passed: z.number().int(),
    tokensPerS: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('metrics'),
    model: z.string(),
    running: z.number().optional(),
    kvCacheUsage: z.number().optional(),
    generationTokens: z.number().optional(),
    tokensPerS: z.number().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('task_finished'),
    model: z.string(),
    dataset: z.string(),
    value: z.number(),
    stderr: z.number(),
    metric: z.string(),
  }),
  z.object({ ...base, type: z.literal('task_failed'), model: z.string(), dataset: z.string(), reason: z.string() }),
  z.object({
    ...base,
    type: z.literal('job_finished'),
    model: z.string(),
    state: z.string(),
    exitCode: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('run_cancelled') }),
  z.object({ ...base, type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
