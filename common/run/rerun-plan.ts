import { z } from 'zod';
import { Quantization } from '../catalog/model';
import { RerunOverrideSchema } from './rerun-override';

export const RerunPlanTaskSchema = z.object({
  dataset: z.string(),
  /** The task's state now (failed, cancelled, …). */
  state: z.string(),
  /** Samples already in predictions.jsonl: kept, not generated again. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  /** Why it failed, first: the root cause. */
  reason: z.string().optional(),
});

/** One model's job as a rerun would resubmit it: its tasks, GPUs, settings, and the engine flags it would start with. */
export const RerunPlanJobSchema = z.object({
  model: z.string(),
  tasks: z.array(RerunPlanTaskSchema),
  gpus: z.number().int().nonnegative(),
  tensorParallel: z.number().int().positive(),
  replicas: z.number().int().positive(),
  presetId: z.string(),
  /** The engine's name for the job: vllm, transformers, endpoint, reference. */
  engine: z.string(),
  hf: z.string(),
  quantization: Quantization,
  /** --max-model-len as it will be (the preset's, else the model's context length); absent: the engine's default. */
  maxModelLen: z.number().int().positive().optional(),
  /** The engine flags the job will start with, and those of the last attempt (the difference is what the rerun changes). */
  engineFlags: z.array(z.string()),
  previousFlags: z.array(z.string()),
  /** The kind of the failure (remote-agent/engines/root-cause.ts), e.g. `out_of_memory`, from the failed tasks' reasons. */
  failureKind: z.string().optional(),
  /** What the earlier reruns changed, in words (e.g. "tensor parallelism 2"); absent when nothing did. */
  settings: z.string().optional(),
});
export type RerunPlanJob = z.infer<typeof RerunPlanJobSchema>;

/** What `tasks/rerun` would resubmit (dry run): shown before anything is submitted. */
export const RerunPlanSchema = z.object({
  runId: z.string(),
  runName: z.string().optional(),
  clusterId: z.string(),
  partition: z.string().optional(),
  gpusPerNode: z.number().int().positive(),
  gpuMemoryGb: z.number().positive(),
  override: RerunOverrideSchema.optional(),
  jobs: z.array(RerunPlanJobSchema),
  /** Models that are not rerun and why (their job is still active, no unfinished task). */
  skipped: z.array(z.object({ model: z.string(), reason: z.string() })),
});
export type RerunPlan = z.infer<typeof RerunPlanSchema>;
