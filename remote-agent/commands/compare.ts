import { CliError, UsageError } from '../cli/args';
import type { Command } from '../cli/command';
import { JSON_OPTION, WORKDIR_OPTIONS } from '../cli/options';
import { compareReports, renderComparison } from '../report/compare';
import { regressions } from '../report/gates';
import { loadReport } from '../report/load';
import { openRun, RunNotFoundError } from '../store/run-store';
import { lookupWorkdir } from './workdir';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two runs dataset by dataset, with the standard error of each difference',
  usage: 'RUN_A RUN_B [--json] [--fail-on-regression] [--workdir DIR | --target PROFILE --workspace DIR]',
  options: {
    ...JSON_OPTION,
    'fail-on-regression': {
      type: 'boolean',
      help: 'exit 1 when B scores lower than A by more than their combined standard error, or has no score where A has one',
    },
    ...WORKDIR_OPTIONS,
  },
  details:
    'A is the baseline, B the candidate. Exit status: 0 compared (and no regression), 1 a regression with --fail-on-regression, 2 bad input.',
  run: async (args) => {
    if (args.positional.length !== 2)
      throw new UsageError(`give two run ids, the baseline and the candidate (got ${args.positional.length})`);
    const workdir = lookupWorkdir(args);
    const [a, b] = await Promise.all(
      args.positional.map((runId) => {
        try {
          return loadReport(openRun(workdir, runId));
        } catch (err) {
          if (err instanceof RunNotFoundError) throw new CliError(err.message, 2);
          throw err;
        }
      }),
    );
    const comparison = compareReports(a!, b!);
    process.stdout.write(args.has('json') ? JSON.stringify(comparison, null, 2) + '\n' : renderComparison(comparison));
    if (!args.has('fail-on-regression')) return 0;
    const found = regressions(comparison);
    if (found.length === 0) return 0;
    process.stderr.write(
      `evalbench: ${found.length} regression${found.length === 1 ? '' : 's'} from ${comparison.runA.runId} to ${comparison.runB.runId}:\n${found.map((r) => `  ${r}\n`).join('')}`,
    );
    return 1;
  },
};
