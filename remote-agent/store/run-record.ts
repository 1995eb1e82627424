import { z } from 'zod';
import { PlanSchema } from '../../common/run/plan-schema';
import { RunRequestSchema } from '../../common/run/request';
import { ModelSettingsSchema, RerunOverrideSchema } from '../../common/run/rerun-override';

/** One submission of a model's job. A rerun adds a new attempt; the latest attempt of a model is the live one. */
export const JobAttemptSchema = z.object({
  model: z.string(),
  jobId: z.string(),
  kind: z.enum(['slurm', 'local']),
  attempt: z.number().int().positive(),
  submittedAt: z.string(),
  /** Datasets this attempt was submitted to finish. */
  datasets: z.array(z.string()),
  /** Process group leader of a local job. */
  pid: z.number().int().positive().optional(),
  /** Written by the job itself. */
  node: z.string().optional(),
  engineVersion: z.string().optional(),
  /** Process group of the engine the job started (a local cancel makes sure it is gone too). */
  enginePid: z.number().int().positive().optional(),
  startedAt: z.string().optional(),
  /** Filled in once the scheduler reports the job ended, so later reads need not ask it. */
  finalState: z.string().optional(),
  exitCode: z.string().optional(),
  endedAt: z.string().optional(),
  /** The change this attempt's rerun asked for (more tensor parallelism, another preset, …). */
  override: RerunOverrideSchema.optional(),
});
export type JobAttempt = z.infer<typeof JobAttemptSchema>;

export const ProvenanceSchema = z.object({
  agentVersion: z.string(),
  nodeVersion: z.string(),
  user: z.string(),
  host: z.string(),
  workdir: z.string(),
  /** The agent file the jobs run. */
  agentPath: z.string(),
  nodePath: z.string(),
  datasetRoot: z.string(),
  seed: z.number().int(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** run.json: everything needed to understand, resume and reproduce the run without the workspace. */
export const RunRecordSchema = z.object({
  runId: z.string(),
  createdAt: z.string(),
  request: RunRequestSchema,
  plan: PlanSchema,
  provenance: ProvenanceSchema,
  jobs: z.array(JobAttemptSchema),
  cancelledAt: z.string().optional(),
  /** Per model, what its reruns changed (accumulated): its later jobs run with these in place of the request's. */
  modelSettings: z.record(z.string(), ModelSettingsSchema).optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The live (latest) attempt of each model. */
export function latestAttempts(run: RunRecord): Map<string, JobAttempt> {
  const latest = new Map<string, JobAttempt>();
  for (const job of run.jobs) {
    const seen = latest.get(job.model);
    if (!seen || job.attempt >= seen.attempt) latest.set(job.model, job);
  }
  return latest;
}
