import type { Command } from '../cli/command';
import { cancelRun } from '../runs/cancel';
import { runFromArgs } from './status';
import { WORKDIR_OPTIONS } from '../cli/options';

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel the jobs of a run that are still queued or running',
  usage: 'RUN [--workdir DIR | --target PROFILE --workspace DIR]',
  options: { ...WORKDIR_OPTIONS },
  run: async (args) => {
    const paths = runFromArgs(args);
    const cancelled = await cancelRun(paths);
    process.stdout.write(
      cancelled.length
        ? `cancelled job${cancelled.length > 1 ? 's' : ''} ${cancelled.join(', ')}\n`
        : 'no job of the run was still active\n',
    );
    return 0;
  },
};
