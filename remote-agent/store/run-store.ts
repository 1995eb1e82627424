import * as fs from 'fs';
import { writeJsonAtomic, readJsonIfExists } from './atomic';
import { RunPaths, runsDir } from './layout';
import { withFileLock, withFileLockAsync } from './lock';
import { isRunId, newRunId } from './run-id';
import { RunRecordSchema, type RunRecord } from './run-record';

export class RunNotFoundError extends Error {}

/**
 * Creates `<workdir>/runs/<new id>/` with its sub-directories and run.json. The id is claimed by mkdir, so two
 * creators never share one. The run store is private to the user (0700): prompts, outputs and logs are theirs.
 */
export function createRun(workdir: string, make: (runId: string) => RunRecord): RunPaths {
  fs.mkdirSync(runsDir(workdir), { recursive: true, mode: 0o700 });
  for (let tries = 0; ; tries++) {
    const runId = newRunId();
    const paths = RunPaths.of(workdir, runId);
    try {
      fs.mkdirSync(paths.dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && tries < 5) continue;
      throw err;
    }
    fs.mkdirSync(paths.jobsDir);
    fs.mkdirSync(paths.logsDir);
    const record = RunRecordSchema.parse(make(runId));
    writeJsonAtomic(paths.runJson, record);
    return paths;
  }
}

/** The store of an existing run; run ids from outside are checked before they touch a path. */
export function openRun(workdir: string, runId: string): RunPaths {
  if (!isRunId(runId))
    throw new RunNotFoundError(`"${runId}" is not a run id (expected e.g. 20250102-130405-123-a1b2c3)`);
  const paths = RunPaths.of(workdir, runId);
  if (!fs.existsSync(paths.runJson)) throw new RunNotFoundError(`no run ${runId} under ${runsDir(workdir)}`);
  return paths;
}

export function readRun(paths: RunPaths): RunRecord {
  const raw = readJsonIfExists(paths.runJson);
  if (raw === undefined) throw new RunNotFoundError(`no run.json in ${paths.dir}`);
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${paths.runJson}: not a valid run record: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

/** Read-modify-write of run.json under its lock (the submitter and every job of the run update it). */
export function updateRun(paths: RunPaths, change: (run: RunRecord) => void): RunRecord {
  return withFileLock(paths.runLock, () => {
    const run = readRun(paths);
    change(run);
    const next = RunRecordSchema.parse(run);
    writeJsonAtomic(paths.runJson, next);
    return next;
  });
}

/**
 * Runs an operation that reads the run's state and then acts on it (rerun, cancel, rescore, submission) while no
 * other such operation of the run runs, in this process or another, on this host or another: two reruns at once
 * would otherwise both see a task failed and both submit it. The lock is refreshed while held; run.json's own lock
 * (updateRun) is taken inside it, never the other way round.
 */
export function withRunOperation<T>(paths: RunPaths, fn: () => Promise<T>): Promise<T> {
  return withFileLockAsync(paths.operationLock, fn);
}

/** Run ids under the work directory, newest first. */
export function listRunIds(workdir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir(workdir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter(isRunId).sort().reverse();
}
