import { z } from 'zod';

export const PlanTaskSchema = z.strictObject({
  model: z.string(),
  dataset: z.string(),
  /** Samples that will be generated; null when the dataset's size is not known yet. */
  samples: z.number().int().nonnegative().nullable(),
});
export type PlanTask = z.infer<typeof PlanTaskSchema>;

export const PlanJobSchema = z.strictObject({
  model: z.string(),
  datasets: z.array(z.string()),
  gpus: z.number().int().nonnegative(),
  tensorParallel: z.number().int().positive(),
  /** Data-parallel engine replicas; the job's GPUs are tensorParallel × replicas. Absent in runs planned before replicas existed. */
  replicas: z.number().int().positive().optional(),
  estimatedGpuHours: z.number().nonnegative(),
});
export type PlanJob = z.infer<typeof PlanJobSchema>;

export const PlanWarningCode = z.enum([
  'gated_model',
  'model_too_large',
  'model_size_unknown',
  'dataset_missing',
  'dataset_size_unknown',
  'selfcheck_failed',
  'transformers_only',
  'context_too_short',
  'vision_required',
  'judge_missing',
]);

export const PlanWarningSchema = z.strictObject({
  code: PlanWarningCode,
  message: z.string(),
  model: z.string().optional(),
  dataset: z.string().optional(),
});
export type PlanWarning = z.infer<typeof PlanWarningSchema>;

export const PlanSchema = z.strictObject({
  tasks: z.array(PlanTaskSchema),
  jobs: z.array(PlanJobSchema),
  totalGpus: z.number().int().nonnegative(),
  estimatedGpuHours: z.number().nonnegative(),
  warnings: z.array(PlanWarningSchema),
});
export type Plan = z.infer<typeof PlanSchema>;
