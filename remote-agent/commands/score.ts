import * as fs from 'fs';
import * as path from 'path';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { JSON_OPTION, WORKSPACE_OPTION } from '../cli/options';
import { renderReport } from '../scoring/report';
import { assertUniqueIds, parsePredictions, scorePredictions } from '../scoring/score-predictions';
import { loadValidCatalog } from '../workspace/load';

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score predictions made elsewhere against a dataset of the catalog',
  usage: '--workspace DIR --dataset D --predictions FILE|- [--chat] [--python PATH] [--timeout S] [--json]',
  options: {
    ...WORKSPACE_OPTION,
    dataset: { type: 'string', value: 'D', help: 'the dataset the predictions answer (required)' },
    predictions: {
      type: 'string',
      value: 'FILE',
      help: 'JSON lines {"id", "output"} ("outputs": [...] for pass@k); - reads stdin (required)',
    },
    chat: { type: 'boolean', help: 'the predictions answered chat prompts (affects code extraction)' },
    python: { type: 'string', value: 'PATH', help: 'the python3 that runs code samples (default: python3)' },
    timeout: { type: 'string', value: 'S', help: 'seconds each code sample may run (default: 10)' },
    ...JSON_OPTION,
  },
  run: runScore,
};

async function runScore(args: Args): Promise<number> {
  const workspace = path.resolve(args.required('workspace'));
  const id = args.required('dataset');
  const file = args.required('predictions');
  const fromStdin = file === '-';
  if (!fromStdin && !fs.existsSync(file)) throw new UsageError(`--predictions: ${file} does not exist`);
  const { catalog } = loadValidCatalog(workspace);
  const dataset = catalog.datasets[id];
  if (!dataset) throw new CliError(`unknown dataset "${id}" (known: ${Object.keys(catalog.datasets).join(', ')})`, 2);
  const { predictions, problems } = parsePredictions(
    fs.readFileSync(fromStdin ? 0 : file, 'utf8'),
    fromStdin ? 'stdin' : file,
  );
  if (!predictions.length)
    throw new CliError(
      `${fromStdin ? 'stdin' : file}: no predictions read${problems.length ? `\n${problems.join('\n')}` : ''}`,
      2,
    );
  try {
    assertUniqueIds(predictions);
  } catch (e) {
    throw new CliError(`${fromStdin ? 'stdin' : file}: ${(e as Error).message}`, 2);
  }
  let report;
  try {
    report = await scorePredictions(
      id,
      dataset,
      predictions,
      { root: workspace, chat: args.has('chat'), python: args.string('python'), timeoutS: args.int('timeout') },
      problems,
    );
  } catch (e) {
    throw new CliError(`${id}: ${(e as Error).message}`, 2);
  }
  process.stdout.write(
    args.has('json') ? JSON.stringify(report) + '\n' : renderReport(report, 'score', report.samples.length <= 50),
  );
  return 0;
}
