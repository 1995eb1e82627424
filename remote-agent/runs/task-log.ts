import * as fs from 'fs';
import { readEvents } from '../store/events';
import type { RunPaths } from '../store/layout';
import { readRun } from '../store/run-store';
import { latestAttempts } from '../store/run-record';
import { tailFile } from './log-tail';

export class NoLogError extends Error {}

/** The tail of the model's latest job log, with the job script and the engine command it ran. */
export function taskLog(
  paths: RunPaths,
  model: string,
  tailBytes: number,
): { path: string; text: string; size: number; script?: string; command?: string } {
  const run = readRun(paths);
  const attempt = latestAttempts(run).get(model);
  if (!attempt) throw new NoLogError(`model "${model}" has no job in run ${run.runId}`);
  const file = paths.log(model, attempt.jobId);
  const tail = tailFile(file, tailBytes);
  let script: string | undefined;
  try {
    script = fs.readFileSync(paths.script(model), 'utf8');
  } catch {
    script = undefined;
  }
  let command: string | undefined;
  for (const { event } of readEvents(paths, 0).events)
    if (event.type === 'engine_starting' && event.model === model) command = event.command;
  return {
    path: file,
    text: tail?.text ?? '',
    size: tail?.size ?? 0,
    ...(script !== undefined ? { script } : {}),
    ...(command !== undefined ? { command } : {}),
  };
}
