import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { TaskResultSchema, type TaskResult } from '../../common/run/records';
import { readJsonIfExists, writeJsonAtomic } from './atomic';
import { appendEvent } from './events';
import type { RunPaths } from './layout';

export const TaskFailureSchema = z.object({
  model: z.string(),
  dataset: z.string(),
  reason: z.string(),
  jobId: z.string().optional(),
  time: z.string(),
});
export type TaskFailure = z.infer<typeof TaskFailureSchema>;

export function readResult(paths: RunPaths, model: string, dataset: string): TaskResult | undefined {
  const raw = readJsonIfExists(paths.result(model, dataset));
  if (raw === undefined) return undefined;
  const parsed = TaskResultSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${paths.result(model, dataset)}: not a valid result: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export function writeResult(paths: RunPaths, result: TaskResult): void {
  writeJsonAtomic(paths.result(result.model, result.dataset), TaskResultSchema.parse(result));
}

export function readFailure(paths: RunPaths, model: string, dataset: string): TaskFailure | undefined {
  const raw = readJsonIfExists(paths.failure(model, dataset));
  if (raw === undefined) return undefined;
  const parsed = TaskFailureSchema.safeParse(raw);
  return parsed.success
    ? parsed.data
    : { model, dataset, reason: 'failure.json is unreadable', time: new Date().toISOString() };
}

export function writeFailure(paths: RunPaths, failure: TaskFailure): void {
  writeJsonAtomic(paths.failure(failure.model, failure.dataset), TaskFailureSchema.parse(failure));
}

/** Fails a task with its root cause: failure.json for whoever reads the store later, a task_failed event for watchers. */
export function recordTaskFailure(paths: RunPaths, failure: Omit<TaskFailure, 'time'>): void {
  writeFailure(paths, { ...failure, time: new Date().toISOString() });
  appendEvent(paths, {
    type: 'task_failed',
    model: failure.model,
    dataset: failure.dataset,
    reason: failure.reason,
    ...(failure.jobId !== undefined ? { jobId: failure.jobId } : {}),
  });
}

/** A task that finished successfully: a result without a failure and no failure marker. */
export function taskSucceeded(paths: RunPaths, model: string, dataset: string): boolean {
  const result = readResult(paths, model, dataset);
  return result !== undefined && result.failure === undefined && !fs.existsSync(paths.failure(model, dataset));
}

/** Moves a task's last outcome (result.json, failure.json) into attempts/ before it runs again; predictions stay. */
export function archiveTaskOutcome(paths: RunPaths, model: string, dataset: string): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const file of [paths.result(model, dataset), paths.failure(model, dataset)]) {
    if (!fs.existsSync(file)) continue;
    const dir = paths.attemptsDir(model, dataset);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(file, path.join(dir, `${stamp}.${path.basename(file)}`));
  }
}
