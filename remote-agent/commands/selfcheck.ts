import * as path from 'path';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { JSON_OPTION, WORKSPACE_OPTION } from '../cli/options';
import { renderReport } from '../scoring/report';
import { nothingChecked, selfCheckDataset, type PromptMode } from '../scoring/selfcheck';
import { loadValidCatalog } from '../workspace/load';

export const selfcheckCommand: Command = {
  name: 'selfcheck',
  summary: "score datasets' own references: a scorer that fails them is broken (no GPU, no model)",
  usage: '--workspace DIR --dataset D[,E…] [--mode completion|chat|both] [--python PATH] [--json]',
  options: {
    ...WORKSPACE_OPTION,
    dataset: { type: 'string', value: 'D,E', help: 'the datasets to check (required)' },
    mode: { type: 'string', value: 'MODE', help: 'completion, chat or both (default: both)' },
    python: { type: 'string', value: 'PATH', help: 'the python3 that runs code samples (default: python3)' },
    ...JSON_OPTION,
  },
  details: 'Exit status: 0 when every reference passes, 1 when one fails, 2 on bad input.',
  run: runSelfcheck,
};

async function runSelfcheck(args: Args): Promise<number> {
  const workspace = path.resolve(args.required('workspace'));
  const ids = args.list('dataset') ?? [];
  if (!ids.length) throw new UsageError('--dataset is required');
  const mode = args.string('mode') ?? 'both';
  if (!['completion', 'chat', 'both'].includes(mode))
    throw new UsageError(`--mode must be completion, chat or both, got "${mode}"`);
  const modes: PromptMode[] = mode === 'both' ? ['completion', 'chat'] : [mode as PromptMode];
  const { catalog } = loadValidCatalog(workspace);
  let failing = 0;
  const reports = [];
  for (const id of ids) {
    const dataset = catalog.datasets[id];
    if (!dataset) throw new CliError(`unknown dataset "${id}" (known: ${Object.keys(catalog.datasets).join(', ')})`, 2);
    let report;
    try {
      report = await selfCheckDataset(id, dataset, { root: workspace, modes, python: args.string('python') });
    } catch (e) {
      throw new CliError(`${id}: ${(e as Error).message}`, 2);
    }
    failing += report.samples.filter((s) => s.verdict !== 'pass').length;
    reports.push(report);
    const empty = nothingChecked(report);
    if (empty) failing++;
    if (!args.has('json')) {
      if (empty)
        process.stdout.write(
          `self-check ${id}: FAILED: ${empty}\n${report.problems.map((p) => `  ! ${p}\n`).join('')}`,
        );
      else if (report.n === 0)
        process.stdout.write(
          `self-check ${id}: nothing to check (${report.skipped} sample${report.skipped === 1 ? '' : 's'}: ${report.skipReason ?? 'no samples'})\n`,
        );
      else {
        process.stdout.write(renderReport(report, 'self-check'));
        if (report.skipped)
          process.stdout.write(
            `  ${report.skipped} sample${report.skipped === 1 ? '' : 's'} not checkable: ${report.skipReason}\n`,
          );
      }
    }
  }
  if (args.has('json')) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports) + '\n');
  return failing ? 1 : 0;
}
