import * as path from 'path';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { renderReport } from '../scoring/report';
import { nothingChecked, selfCheckDataset, type PromptMode } from '../scoring/selfcheck';
import { loadValidCatalog } from '../workspace/load';

export const selfcheckCommand: Command = {
  name: 'selfcheck',
  flags: ['workspace', 'dataset', 'mode', 'python', 'json'],
  booleans: ['json'],
  help: 'selfcheck --workspace DIR --dataset D[,E…] [--mode completion|chat|both] [--python PATH] [--json]  (scores the dataset\'s own references; non-zero exit if one fails)',
  run: runSelfcheck,
};

async function runSelfcheck(args: Args): Promise<number> {
  const workspace = path.resolve(args.required('workspace'));
  const ids = args.list('dataset') ?? [];
  if (!ids.length) throw new UsageError('--dataset is required');
  const mode = args.string('mode') ?? 'both';
  if (!['completion', 'chat', 'both'].includes(mode)) throw new UsageError(`--mode must be completion, chat or both, got "${mode}"`);
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
      if (empty) process.stdout.write(`self-check ${id}: FAILED: ${empty}\n${report.problems.map((p) => `  ! ${p}\n`).join('')}`);
      else if (report.n === 0) process.stdout.write(`self-check ${id}: nothing to check (${report.skipped} sample${report.skipped === 1 ? '' : 's'}: ${report.skipReason ?? 'no samples'})\n`);
      else {
        process.stdout.write(renderReport(report, 'self-check'));
        if (report.skipped) process.stdout.write(`  ${report.skipped} sample${report.skipped === 1 ? '' : 's'} not checkable: ${report.skipReason}\n`);
      }
    }
  }
  if (args.has('json')) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports) + '\n');
  return failing ? 1 : 0;
}
