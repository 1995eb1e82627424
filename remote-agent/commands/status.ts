import type { Args } from '../cli/args';
import { CliError, UsageError } from '../cli/args';
import type { Command } from '../cli/command';
import { runStatus } from '../runs/status';
import { openRun, RunNotFoundError } from '../store/run-store';
import type { RunPaths } from '../store/layout';
import { followOnStderr } from '../progress/cli';
import { renderStatus } from './render-status';
import { JSON_OPTION, WORKDIR_OPTIONS } from '../cli/options';
import { lookupWorkdir } from './workdir';

/** The run named by the command's one positional argument, under the looked-up work directory. */
export function runFromArgs(args: Args): RunPaths {
  const runId = args.positional[0];
  if (!runId) throw new UsageError('name the run: its id, as `evalbench runs` lists them');
  if (args.positional.length > 1) throw new UsageError(`one run at a time (got ${args.positional.join(' ')})`);
  try {
    return openRun(lookupWorkdir(args), runId);
  } catch (err) {
    if (err instanceof RunNotFoundError) throw new CliError(err.message, 2);
    throw err;
  }
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'show a run: its state, each job, each task with its score or why it failed',
  usage: 'RUN [--json] [--follow] [--workdir DIR | --target PROFILE --workspace DIR]',
  options: {
    ...JSON_OPTION,
    follow: { type: 'boolean', help: 'show progress on stderr until the run ends, then its status' },
    ...WORKDIR_OPTIONS,
  },
  run: async (args) => {
    const paths = runFromArgs(args);
    // --follow: live progress on stderr until the run ends, then the final status as without it.
    const s = args.has('follow') ? await followOnStderr(paths) : await runStatus(paths);
    process.stdout.write(args.has('json') ? JSON.stringify(s) + '\n' : renderStatus(s));
    return 0;
  },
};
