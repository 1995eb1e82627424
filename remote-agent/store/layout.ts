import * as path from 'path';
import { idToSegment } from './path-segment';

/** Where everything of one run lives: `<workdir>/runs/<runId>/…`, as DESIGN.md lays it out. */
export class RunPaths {
  constructor(readonly dir: string) {}

  static of(workdir: string, runId: string): RunPaths {
    return new RunPaths(path.join(runsDir(workdir), runId));
  }

  get runId(): string {
    return path.basename(this.dir);
  }
  get runJson(): string {
    return path.join(this.dir, 'run.json');
  }
  /** Held for the few milliseconds of each read-modify-write of run.json. */
  get runLock(): string {
    return path.join(this.dir, 'run.json.lock');
  }
  /** Held for a whole operation that decides from the run's state and then changes it (rerun, cancel, rescore, submit). */
  get operationLock(): string {
    return path.join(this.dir, 'operation.lock');
  }
  get events(): string {
    return path.join(this.dir, 'events.jsonl');
  }
  get jobsDir(): string {
    return path.join(this.dir, 'jobs');
  }
  get logsDir(): string {
    return path.join(this.dir, 'logs');
  }
  script(model: string): string {
    return path.join(this.jobsDir, `${idToSegment(model)}.sbatch`);
  }
  /**
   * The Hugging Face token of a job that downloads weights at run time: written 0600 at submission, read into HF_TOKEN
   * and removed by the job script as it starts (never in the script itself, run.json or a log).
   */
  hfTokenFile(model: string): string {
    return path.join(this.jobsDir, `${idToSegment(model)}.hf-token`);
  }
  log(model: string, jobId: string): string {
    return path.join(this.logsDir, `${idToSegment(model)}.${jobId}.out`);
  }
  /** Exit status of a local job, written by its wrapper when the script ends. */
  localExit(model: string, jobId: string): string {
    return path.join(this.jobsDir, `${idToSegment(model)}.${jobId}.exit`);
  }
  /** Marker that a local job was cancelled on purpose (its wrapper is killed, so it cannot say so itself). */
  localCancelled(model: string, jobId: string): string {
    return path.join(this.jobsDir, `${idToSegment(model)}.${jobId}.cancelled`);
  }
  taskDir(model: string, dataset: string): string {
    return path.join(this.dir, 'tasks', idToSegment(model), idToSegment(dataset));
  }
  predictions(model: string, dataset: string): string {
    return path.join(this.taskDir(model, dataset), 'predictions.jsonl');
  }
  result(model: string, dataset: string): string {
    return path.join(this.taskDir(model, dataset), 'result.json');
  }
  /** A task that failed before it could produce a result (its engine did not start): the root cause. */
  failure(model: string, dataset: string): string {
    return path.join(this.taskDir(model, dataset), 'failure.json');
  }
  /** Earlier outcomes of a task, moved aside when it is rerun: nothing is deleted. */
  attemptsDir(model: string, dataset: string): string {
    return path.join(this.taskDir(model, dataset), 'attempts');
  }
}

export function runsDir(workdir: string): string {
  return path.join(workdir, 'runs');
}
