import * as path from 'path';
import type { Command } from '../cli/command';
import { removeStaleSandboxesAtStart } from '../scoring/stale-sandboxes';
import { runJob } from '../work/job';

/** Inside a job: `exec node agent.js work --run-dir DIR --model M` is the last line of the job script. */
export const workCommand: Command = {
  name: 'work',
  summary: "run one model's tasks of a run: what a job script runs",
  usage: '--run-dir DIR --model M',
  options: {
    'run-dir': { type: 'string', value: 'DIR', help: "the run's folder in the run store (required)" },
    model: { type: 'string', value: 'M', help: 'the model whose tasks this job runs (required)' },
  },
  internal: true,
  run: async (args) => {
    const runDir = path.resolve(args.required('run-dir'));
    const model = args.required('model');
    removeStaleSandboxesAtStart((line) => process.stdout.write(`[evalbench] ${line}\n`));
    const controller = new AbortController();
    // scancel (and a local cancel) send SIGTERM: stop the engine's process group before SLURM's KillWait ends.
    const stop = (signal: NodeJS.Signals) => {
      process.stdout.write(`[evalbench] ${signal}: stopping\n`);
      controller.abort();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    const code = await runJob({ runDir, model, signal: controller.signal });
    // Sockets of aborted requests may linger a moment; the job must still end with its status.
    setTimeout(() => process.exit(code), 2_000).unref();
    return code;
  },
};
