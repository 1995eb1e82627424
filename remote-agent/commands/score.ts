import * as fs from 'fs';
import * as path from 'path';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { renderReport } from '../scoring/report';
import { assertUniqueIds, readPredictions, scorePredictions } from '../scoring/score-predictions';
import { loadValidCatalog } from '../workspace/load';

export const scoreCommand: Command = {
  name: 'score',
  flags: ['workspace', 'dataset', 'predictions', 'chat', 'python', 'timeout', 'json'],
  booleans: ['json', 'chat'],
  help: 'score --workspace DIR --dataset D --predictions FILE [--chat] [--python PATH] [--timeout S] [--json]  (FILE: JSON lines {"id", "output"})',
  run: runScore,
};

async function runScore(args: Args): Promise<number> {
  const workspace = path.resolve(args.required('workspace'));
  const id = args.required('dataset');
  const file = args.required('predictions');
  if (!fs.existsSync(file)) throw new UsageError(`--predictions: ${file} does not exist`);
  const { catalog } = loadValidCatalog(workspace);
  const dataset = catalog.datasets[id];
  if (!dataset) throw new CliError(`unknown dataset "${id}" (known: ${Object.keys(catalog.datasets).join(', ')})`, 2);
  const { predictions, problems } = readPredictions(file);
  if (!predictions.length) throw new CliError(`${file}: no predictions read${problems.length ? `\n${problems.join('\n')}` : ''}`, 2);
  try {
    assertUniqueIds(predictions);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`, 2);
  }
  let report;
  try {
    report = await scorePredictions(id, dataset, predictions, { root: workspace, chat: args.has('chat'), python: args.string('python'), timeoutS: args.int('timeout') }, problems);
  } catch (e) {
    throw new CliError(`${id}: ${(e as Error).message}`, 2);
  }
  process.stdout.write(args.has('json') ? JSON.stringify(report) + '\n' : renderReport(report, 'score', report.samples.length <= 50));
  return 0;
}
