import { z } from 'zod';
import { PredictionSchema, TaskStateSchema, Verdict } from '../run/records';
import { defineMethod, defineNotification } from './method';
import type { PanelProtocol } from './webview';

/** Which predictions the panel shows: one task, or one dataset across several models side by side. */
export const PredictionsContextSchema = z.object({
  runId: z.string(),
  runName: z.string().optional(),
  dataset: z.string(),
  models: z.array(z.string()).min(1),
  /** Bumped when the tasks gained predictions or were re-scored: the webview re-reads its visible rows. */
  revision: z.number().int().nonnegative(),
  live: z.boolean(),
  /** Each shown model's task as the runs tree sees it: a missing prediction says whether the task failed (and why) or has not got there yet. */
  tasks: z.array(TaskStateSchema.pick({ model: true, state: true, reason: true, done: true, total: true })),
  /** Verdict, reason and search text to start filtered by (the debugger opens the failures; a dataset line its sample). */
  initialFilter: z
    .object({ verdict: Verdict.optional(), reason: z.string().optional(), search: z.string().optional() })
    .optional(),
});
export type PredictionsContext = z.infer<typeof PredictionsContextSchema>;

export const PredictionsUpdate = defineNotification('predictions/context', PredictionsContextSchema);

export const PAGE_LIMIT_MAX = 500;

export const PredictionFilterSchema = z.strictObject({
  verdict: Verdict.optional(),
  reason: z.string().min(1).optional(),
  search: z.string().min(1).max(500).optional(),
});
export type PredictionFilter = z.infer<typeof PredictionFilterSchema>;

export const PageResultSchema = z.object({
  total: z.number().int().nonnegative(),
  matched: z.number().int().nonnegative(),
  items: z.array(PredictionSchema),
  reasons: z.record(z.string(), z.number()),
});
export type PageResult = z.infer<typeof PageResultSchema>;

export const PredictionsPage = defineMethod(
  'predictions/page',
  PredictionFilterSchema.extend({
    model: z.string().min(1),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().positive().max(PAGE_LIMIT_MAX),
  }),
  PageResultSchema,
);

/** The same samples (by id) from other models, for the side-by-side view. */
export const PredictionsByIds = defineMethod(
  'predictions/byIds',
  z.strictObject({ model: z.string().min(1), ids: z.array(z.string()).max(PAGE_LIMIT_MAX) }),
  z.object({ items: z.array(PredictionSchema) }),
);

export const PredictionsOpenDebugger = defineMethod(
  'predictions/openDebugger',
  z.strictObject({ model: z.string().min(1) }),
  z.object({}),
);

export const PREDICTIONS_PROTOCOL: PanelProtocol = {
  name: 'predictions',
  requests: [PredictionsPage, PredictionsByIds, PredictionsOpenDebugger],
  notifications: [PredictionsUpdate],
};
