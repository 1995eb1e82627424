import { CliError } from '../cli/args';
import type { Command } from '../cli/command';
import { RerunError, rerunRun } from '../runs/rerun';
import { followOnStderr } from '../progress/cli';
import { exitCodeOf } from './follow';
import { renderStatus } from './render-status';
import { runFromArgs } from './status';
import { JSON_OPTION, WORKDIR_OPTIONS } from '../cli/options';

export const rerunCommand: Command = {
  name: 'rerun',
  summary: 'resubmit the unfinished tasks of a run; predictions already made are kept',
  usage: 'RUN [--failed] [--models a,b] [--json] [--wait] [--workdir DIR | --target PROFILE --workspace DIR]',
  options: {
    failed: { type: 'boolean', help: 'only the tasks that failed' },
    models: { type: 'string', value: 'a,b', help: 'only these models\' jobs' },
    ...JSON_OPTION,
    wait: { type: 'boolean', help: 'follow the run until it ends (progress on stderr), then print its status' },
    ...WORKDIR_OPTIONS,
  },
  details: 'Exit status with --wait: 0 when every task passed, 1 when one failed.',
  run: async (args) => {
    const paths = runFromArgs(args);
    let jobs;
    try {
      jobs = await rerunRun(paths, { failedOnly: args.has('failed'), models: args.list('models') });
    } catch (err) {
      if (err instanceof RerunError) throw new CliError(err.message, 1);
      throw err;
    }
    const json = args.has('json');
    if (json) process.stdout.write(JSON.stringify({ runId: paths.runId, jobs }) + '\n');
    else process.stdout.write(jobs.length ? jobs.map((j) => `${j.model}: job ${j.jobId}\n`).join('') : 'nothing to rerun: every task has passed\n');
    if (!args.has('wait') || jobs.length === 0) return 0;
    const final = await followOnStderr(paths);
    (json ? process.stderr : process.stdout).write(renderStatus(final));
    return exitCodeOf(final);
  },
};
