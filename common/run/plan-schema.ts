import { z } from 'zod';
import { PlanDatasetSchema } from './dataset-files';

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
  'quantization_mismatch',
  'quantization_unchecked',
]);

export const PlanWarningSchema = z.strictObject({
  code: PlanWarningCode,
  message: z.string(),
  model: z.string().optional(),
  dataset: z.string().optional(),
});
export type PlanWarning = z.infer<typeof PlanWarningSchema>;

/**
 * Where each model column's weights will come from, as the agent found them on the login node: in the Hugging Face
 * cache under HF_HOME (the job then runs with HF_HUB_OFFLINE=1), to be downloaded (by the job, or by `evalbench
 * fetch` first), refused (gated without a token), or a directory on the cluster (present, missing, or not checkable
 * here because its $VAR is unset on the login node).
 */
export const PlanModelState = z.enum([
  'cached',
  'download',
  'gated',
  'not_found',
  'unknown',
  'path',
  'path_missing',
  'path_unchecked',
]);
export type PlanModelState = z.infer<typeof PlanModelState>;

export const PlanModelSourceSchema = z.strictObject({
  /** The Hugging Face id or cluster path (a model's `hf`, or an adapter's). */
  source: z.string(),
  adapter: z.string().optional(),
  revision: z.string().optional(),
  state: PlanModelState,
  /** Bytes still to download (state "download"). */
  bytes: z.number().nonnegative().optional(),
  /** The commit the revision resolved to, where known. */
  commit: z.string().optional(),
  /** The snapshot or directory the engine will read. */
  path: z.string().optional(),
  message: z.string(),
});

export const PlanModelSchema = z.strictObject({
  model: z.string(),
  /** HF_HOME of the job. */
  hfHome: z.string(),
  /** Every source is cached or a cluster path: the job runs with HF_HUB_OFFLINE=1. */
  offline: z.boolean(),
  sources: z.array(PlanModelSourceSchema),
});
export type PlanModel = z.infer<typeof PlanModelSchema>;

export const PlanSchema = z.strictObject({
  tasks: z.array(PlanTaskSchema),
  jobs: z.array(PlanJobSchema),
  totalGpus: z.number().int().nonnegative(),
  estimatedGpuHours: z.number().nonnegative(),
  warnings: z.array(PlanWarningSchema),
  /** Where each dataset file is read and whether it is uploaded first. */
  datasets: z.array(PlanDatasetSchema).optional(),
  /** Problems that block submission (a dataset file missing everywhere): nothing is submitted while there is one. */
  errors: z.array(z.string()).optional(),
  /** Per model job: where its weights come from (absent for plans made without looking, e.g. in the extension). */
  models: z.array(PlanModelSchema).optional(),
});
export type Plan = z.infer<typeof PlanSchema>;
