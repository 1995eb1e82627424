import { z } from 'zod';
import { ClusterSchema } from '../catalog/cluster';
import { CatalogId } from '../catalog/ids';
import { ModelSchema } from '../catalog/model';
import { HfTokenSchema } from '../run/hf-token';
import { PlanSchema } from '../run/plan-schema';
import { RunRequestSchema } from '../run/request';
import { RunEventSchema } from '../run/events';
import { PredictionSchema, RunStatusSchema, RunSummarySchema, Verdict } from '../run/records';
import { RerunOverrideSchema } from '../run/rerun-override';
import { RerunPlanSchema } from '../run/rerun-plan';
import { defineMethod, defineNotification } from './method';

export const AGENT_PROTOCOL_VERSION = 1;

const RunRef = z.strictObject({ runId: z.string().min(1) });
const TaskRef = RunRef.extend({ model: z.string().min(1), dataset: z.string().min(1) });

export const Hello = defineMethod(
  'hello',
  z.strictObject({ clientVersion: z.string(), protocol: z.number().int() }),
  z.object({
    agentVersion: z.string(),
    protocol: z.number().int(),
    node: z.string(),
    host: z.string(),
    user: z.string(),
    workdir: z.string(),
  }),
);

export const PlanMethod = defineMethod(
  'plan',
  /** hfTokenSet: the client holds a Hugging Face token it will send with fetch and submit (the plan never gets the token). */
  z.strictObject({ request: RunRequestSchema, hfTokenSet: z.boolean().optional() }),
  z.object({ plan: PlanSchema, errors: z.array(z.string()) }),
);

export const Submit = defineMethod(
  'submit',
  /**
   * hfToken: HF_TOKEN of the jobs that download weights at run time (read from a 0600 file the job removes).
   * confirmedPlan: the plan the user confirmed; the agent refuses to submit when the request's plan now differs.
   */
  z.strictObject({
    request: RunRequestSchema,
    hfToken: HfTokenSchema.optional(),
    confirmedPlan: PlanSchema.optional(),
  }),
  z.object({
    runId: z.string(),
    jobs: z.array(z.object({ model: z.string(), jobId: z.string() })),
    /** Models whose job the scheduler refused, with its own message: their tasks are failed in the run. */
    errors: z.array(z.object({ model: z.string(), reason: z.string() })).default([]),
  }),
);

export const RunsList = defineMethod(
  'runs/list',
  z.strictObject({ limit: z.number().int().positive().optional() }),
  z.object({ runs: z.array(RunSummarySchema) }),
);

export const RunsGet = defineMethod('runs/get', RunRef, RunStatusSchema);

/** Events after a byte offset of events.jsonl: a reconnect resumes from `next` and loses or repeats nothing. */
export const RunsWatch = defineMethod(
  'runs/watch',
  RunRef.extend({
    offset: z.number().int().nonnegative(),
    waitMs: z.number().int().nonnegative().max(60_000).optional(),
  }),
  z.object({
    events: z.array(z.object({ offset: z.number().int(), event: RunEventSchema })),
    next: z.number().int(),
    done: z.boolean(),
  }),
);

export const RunsCancel = defineMethod('runs/cancel', RunRef, z.object({ cancelled: z.array(z.string()) }));

export const TasksPredictions = defineMethod(
  'tasks/predictions',
  TaskRef.extend({
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(1000).default(100),
    verdict: Verdict.optional(),
    reason: z.string().optional(),
    search: z.string().optional(),
    /** Only these sample ids (the side-by-side view joins models on them); other filters still apply. */
    ids: z.array(z.string()).max(1000).optional(),
  }),
  z.object({
    total: z.number().int(),
    matched: z.number().int(),
    items: z.array(PredictionSchema),
    reasons: z.record(z.string(), z.number()),
  }),
);

export const TasksLog = defineMethod(
  'tasks/log',
  RunRef.extend({ model: z.string().min(1), tailBytes: z.number().int().positive().max(4_000_000).default(65536) }),
  z.object({
    path: z.string(),
    text: z.string(),
    size: z.number().int(),
    script: z.string().optional(),
    command: z.string().optional(),
  }),
);

const RerunParams = RunRef.extend({
  failedOnly: z.boolean().default(true),
  models: z.array(z.string()).optional(),
  /** A change to the resubmitted jobs (more tensor parallelism, another preset, a quantized checkpoint, a shorter max-model-len), kept in run.json. */
  override: RerunOverrideSchema.optional(),
  /** The client's Hugging Face token, for jobs that download weights at run time (never stored); ignored by the plan. */
  hfToken: HfTokenSchema.optional(),
});

export const TasksRerun = defineMethod(
  'tasks/rerun',
  RerunParams,
  z.object({ jobs: z.array(z.object({ model: z.string(), jobId: z.string() })) }),
);

/** What tasks/rerun with the same params would resubmit, submitting nothing. */
export const TasksRerunPlan = defineMethod('tasks/rerunPlan', RerunParams, RerunPlanSchema);

export const TasksRescore = defineMethod(
  'tasks/rescore',
  TaskRef,
  z.object({
    value: z.number(),
    stderr: z.number(),
    metric: z.string(),
    n: z.number().int(),
    /** Why the re-scored task counts as failed (samples without a readable prediction, most samples errored). */
    failure: z.string().optional(),
    /** Lines of predictions.jsonl that are not predictions, `file:line: why` (kept in the file). */
    unreadable: z.array(z.string()).optional(),
  }),
);

/**
 * Downloads the Hub weights of catalog models (and their Hub adapters) into the profile's HF_HOME on the login node.
 * Cancelling the request stops the download: a partial file stays as a `.incomplete` blob the next fetch resumes.
 */
export const ModelsFetch = defineMethod(
  'models/fetch',
  z.strictObject({
    cluster: ClusterSchema,
    models: z.record(CatalogId, ModelSchema),
    hfToken: HfTokenSchema.optional(),
  }),
  z.object({
    hfHome: z.string(),
    /** The request was cancelled: what was fetched before stays in the cache. */
    cancelled: z.boolean().optional(),
    models: z.array(
      z.object({
        model: z.string(),
        source: z.string(),
        adapter: z.string().optional(),
        revision: z.string(),
        commit: z.string(),
        snapshot: z.string(),
        downloadedBytes: z.number(),
        totalBytes: z.number(),
      }),
    ),
    errors: z.array(z.string()),
  }),
);

/** Progress of models/fetch: bytes of the current model's snapshot on disk. */
export const ModelsFetchProgress = defineNotification(
  'models/fetchProgress',
  z.object({ repo: z.string(), file: z.string(), doneBytes: z.number(), totalBytes: z.number() }),
);

export const AgentLog = defineNotification(
  'agent/log',
  z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() }),
);
