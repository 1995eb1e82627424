import * as os from 'os';
import * as path from 'path';
import type { Command } from '../cli/command';
import { resolveWorkdir } from '../runs/workdir';
import { removeStaleSandboxesAtStart } from '../scoring/stale-sandboxes';
import { serve } from '../serve/server';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'answer the VS Code extension: JSON-RPC 2.0 over stdin/stdout',
  usage: '[--workdir DIR]',
  options: {
    workdir: {
      type: 'string',
      value: 'DIR',
      help: 'the work directory (default: $EVALBENCH_WORKDIR, else ~/.evalbench)',
    },
  },
  internal: true,
  run: async (args) => {
    const workdir = resolveWorkdir(
      args.string('workdir') ?? process.env.EVALBENCH_WORKDIR ?? path.join(os.homedir(), '.evalbench'),
      process.cwd(),
    );
    // stdout carries JSON-RPC: the clean-up speaks on stderr.
    removeStaleSandboxesAtStart((line) => process.stderr.write(`evalbench: ${line}\n`));
    await serve(workdir);
    // Watches in flight or timers must not keep an agent alive once its client is gone.
    setTimeout(() => process.exit(0), 200).unref();
    return 0;
  },
};
