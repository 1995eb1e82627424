import { CliError, UsageError } from '../cli/args';
import type { Command } from '../cli/command';
import { RescoreError, rescoreTask } from '../runs/rescore';
import { readRun } from '../store/run-store';
import { runFromArgs } from './status';
import { JSON_OPTION, WORKDIR_OPTIONS } from '../cli/options';

export const rescoreCommand: Command = {
  name: 'rescore',
  summary: "score a run's predictions again (after a scorer fix); generates nothing",
  usage: 'RUN [--task MODEL/DATASET] [--json] [--workdir DIR | --target PROFILE --workspace DIR]',
  options: {
    task: { type: 'string', value: 'MODEL/DATASET', help: 'only this task (default: every task of the run)' },
    ...JSON_OPTION,
    ...WORKDIR_OPTIONS,
  },
  run: async (args) => {
    const paths = runFromArgs(args);
    const run = readRun(paths);
    const wanted = args.string('task');
    const tasks =
      wanted === undefined ? run.plan.tasks : run.plan.tasks.filter((t) => `${t.model}/${t.dataset}` === wanted);
    if (tasks.length === 0)
      throw new UsageError(
        `no task "${wanted}" in run ${run.runId} (tasks: ${run.plan.tasks.map((t) => `${t.model}/${t.dataset}`).join(', ')})`,
      );
    const out: Array<Record<string, unknown>> = [];
    let failures = 0;
    for (const t of tasks) {
      try {
        const r = await rescoreTask(paths, t.model, t.dataset);
        out.push({ task: `${t.model}/${t.dataset}`, ...r });
        for (const line of r.unreadable ?? [])
          process.stderr.write(`evalbench: ${line} (kept in the file, its sample is not scored)\n`);
        if (!args.has('json'))
          process.stdout.write(
            `${t.model}/${t.dataset}: ${r.metric} ${r.value.toFixed(4)} ± ${r.stderr.toFixed(4)} (n=${r.n})${r.failure ? ` FAILED: ${r.failure}` : ''}\n`,
          );
      } catch (err) {
        if (!(err instanceof RescoreError)) throw err;
        failures++;
        out.push({ task: `${t.model}/${t.dataset}`, error: err.message });
        if (!args.has('json')) process.stderr.write(`evalbench: ${err.message}\n`);
      }
    }
    if (args.has('json')) process.stdout.write(JSON.stringify({ runId: run.runId, tasks: out }) + '\n');
    if (failures === tasks.length) throw new CliError('nothing was rescored', 1);
    return 0;
  },
};
