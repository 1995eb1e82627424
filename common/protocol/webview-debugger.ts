import { z } from 'zod';
import { JobStateSchema, PredictionSchema, TaskResultSchema, TaskStateSchema } from '../run/records';
import { defineMethod, defineNotification } from './method';
import type { PanelProtocol } from './webview';

export const RootCauseKind = z.enum([
  'engine',
  'scheduler',
  'task',
  'samples',
  'scoring',
  'cancelled',
  'none',
  'pending',
  'unknown',
]);
export type RootCauseKind = z.infer<typeof RootCauseKind>;

/** The first thing the debugger shows: what went wrong, in one line, and the evidence for it. */
export const RootCauseSchema = z.object({
  kind: RootCauseKind,
  title: z.string(),
  detail: z.string().optional(),
  evidence: z.array(z.string()),
});
export type RootCause = z.infer<typeof RootCauseSchema>;

export const DebuggerSnapshotSchema = z.object({
  runId: z.string(),
  runName: z.string().optional(),
  model: z.string(),
  dataset: z.string().optional(),
  rootCause: RootCauseSchema,
  job: JobStateSchema.optional(),
  task: TaskStateSchema.optional(),
  result: TaskResultSchema.optional(),
  errorCounts: z.record(z.string(), z.number()),
  log: z.object({ path: z.string(), text: z.string(), size: z.number().int() }).optional(),
  logError: z.string().optional(),
  script: z.string().optional(),
  command: z.string().optional(),
  /** Flattened key → value lines (agent and engine versions, git commit, request, host). */
  provenance: z.array(z.object({ key: z.string(), value: z.string() })),
  failingSamples: z.array(PredictionSchema),
  /** The run's events that concern this model, newest last, as one-line texts. */
  events: z.array(z.object({ time: z.string(), type: z.string(), text: z.string() })),
  live: z.boolean(),
  updatedAt: z.string(),
});
export type DebuggerSnapshot = z.infer<typeof DebuggerSnapshotSchema>;

export const DebuggerUpdate = defineNotification('debugger/snapshot', DebuggerSnapshotSchema);

export const DebuggerRerun = defineMethod(
  'debugger/rerun',
  z.strictObject({ failedOnly: z.boolean() }),
  z.object({ jobs: z.array(z.object({ model: z.string(), jobId: z.string() })) }),
);

export const DebuggerRescore = defineMethod(
  'debugger/rescore',
  z.strictObject({}),
  z.object({ value: z.number(), stderr: z.number(), metric: z.string(), n: z.number().int() }),
);

export const DebuggerRefresh = defineMethod('debugger/refresh', z.strictObject({}), z.object({}));

export const DebuggerOpenPredictions = defineMethod(
  'debugger/openPredictions',
  z.strictObject({ failuresOnly: z.boolean() }),
  z.object({}),
);

export const DEBUGGER_PROTOCOL: PanelProtocol = {
  name: 'debugger',
  requests: [DebuggerRerun, DebuggerRescore, DebuggerRefresh, DebuggerOpenPredictions],
  notifications: [DebuggerUpdate],
};
