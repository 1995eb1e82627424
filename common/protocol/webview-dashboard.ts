import { z } from 'zod';
import { RunStatusSchema } from '../run/records';
import { defineMethod, defineNotification } from './method';
import type { PanelProtocol } from './webview';

/** The engine's own gauges for one model, from its /metrics, as the job last reported them. */
export const EngineGaugesSchema = z.object({
  model: z.string(),
  /** 0..1 */
  kvCacheUsage: z.number().min(0).max(1).optional(),
  running: z.number().nonnegative().optional(),
  tokensPerS: z.number().nonnegative().optional(),
  time: z.string(),
});
export type EngineGauges = z.infer<typeof EngineGaugesSchema>;

export const ThroughputPointSchema = z.object({ time: z.string(), tokensPerS: z.number().nonnegative() });

export const LinkStateSchema = z.object({
  state: z.enum(['live', 'reconnecting', 'ended', 'offline']),
  message: z.string().optional(),
});
export type LinkState = z.infer<typeof LinkStateSchema>;

/** Everything the dashboard shows, whole: a reloaded webview needs nothing else. */
export const DashboardSnapshotSchema = z.object({
  run: RunStatusSchema,
  engines: z.array(EngineGaugesSchema),
  /** Total generated tokens per second over the run, oldest first, bounded. */
  throughput: z.array(ThroughputPointSchema).max(600),
  link: LinkStateSchema,
  updatedAt: z.string(),
});
export type DashboardSnapshot = z.infer<typeof DashboardSnapshotSchema>;

export const DashboardUpdate = defineNotification('dashboard/snapshot', DashboardSnapshotSchema);

export const DashboardExport = defineMethod(
  'dashboard/export',
  z.strictObject({ format: z.enum(['csv', 'markdown']) }),
  z.object({ saved: z.boolean(), path: z.string().optional() }),
);

export const TaskView = z.enum(['predictions', 'debugger']);
export const DashboardOpenTask = defineMethod(
  'dashboard/openTask',
  z.strictObject({ model: z.string().min(1), dataset: z.string().min(1), view: TaskView }),
  z.object({}),
);

export const DASHBOARD_PROTOCOL: PanelProtocol = {
  name: 'dashboard',
  requests: [DashboardExport, DashboardOpenTask],
  notifications: [DashboardUpdate],
};
