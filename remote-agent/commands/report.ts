import * as path from 'path';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { WORKDIR_OPTIONS } from '../cli/options';
import { parseThreshold, tasksBelow } from '../report/gates';
import { loadReportInput } from '../report/load';
import { buildReport } from '../report/build';
import { isReportFormat, REPORT_FORMATS, renderReport } from '../report/render';
import { renderLmEval, scoredModels } from '../report/render-lm-eval';
import { writeFileAtomic } from '../store/atomic';
import { readRun } from '../store/run-store';
import { runFromArgs } from './status';

const FORMATS = [...REPORT_FORMATS, 'lm-eval'] as const;
type Format = (typeof FORMATS)[number];

export const reportCommand: Command = {
  name: 'report',
  summary: "write a run's results: Markdown, HTML, CSV, JSON, text, or lm-evaluation-harness's results.json",
  usage: `RUN [--format ${FORMATS.join('|')}] [--out FILE] [--model M] [--min-score X] [--workdir DIR | --target PROFILE --workspace DIR]`,
  options: {
    format: { type: 'string', value: 'F', help: `${FORMATS.join(', ')} (default: from --out's extension, else md)` },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write to FILE instead of stdout (- for stdout)' },
    model: {
      type: 'string',
      value: 'M',
      help: "with --format lm-eval: the model to write (lm-eval's file holds one; needed when the run has several)",
    },
    'min-score': {
      type: 'string',
      value: 'X',
      help: 'exit 1 unless every task scored at least X (0.8 or 80%); a task without a score misses it',
    },
    ...WORKDIR_OPTIONS,
  },
  details: [
    '--format lm-eval writes lm-evaluation-harness\'s results.json shape: results[dataset]["acc,none"] and',
    '"acc_stderr,none" (exact_match, pass@1, … by the dataset\'s scorer), configs, versions, n-shot, n-samples.',
    'Exit status: 0 written (and the --min-score gate holds), 1 a task misses --min-score, 2 bad input.',
  ].join('\n'),
  run: runReport,
};

async function runReport(args: Args): Promise<number> {
  const out = args.string('out');
  const format = formatOf(args.string('format'), out);
  const minScoreText = args.string('min-score');
  const minScore = minScoreText === undefined ? undefined : parseThreshold(minScoreText);
  if (minScoreText !== undefined && minScore === undefined)
    throw new UsageError(`--min-score must be a number such as 0.8 or 80%, got "${minScoreText}"`);
  if (args.has('model') && format !== 'lm-eval') throw new UsageError('--model goes with --format lm-eval');
  const paths = runFromArgs(args);
  const input = await loadReportInput(paths);
  const report = buildReport(input);
  const text =
    format === 'lm-eval'
      ? renderLmEval(
          readRun(paths),
          input.status,
          lmEvalModel(args.string('model'), scoredModels(input.status), paths.runId),
        )
      : renderReport(report, format);
  if (out === undefined || out === '-') process.stdout.write(text);
  else {
    const file = path.resolve(out);
    writeFileAtomic(file, text);
    process.stderr.write(`wrote ${file}\n`);
  }
  if (minScore === undefined) return 0;
  const misses = tasksBelow(report, minScore);
  if (misses.length === 0) return 0;
  process.stderr.write(
    `evalbench: --min-score ${minScoreText}: ${misses.length} of ${report.cells.length} task${report.cells.length === 1 ? '' : 's'} below it\n${misses.map((m) => `  ${m}\n`).join('')}`,
  );
  return 1;
}

function lmEvalModel(requested: string | undefined, models: string[], runId: string): string {
  if (requested !== undefined) {
    if (!models.includes(requested))
      throw new CliError(
        `no scored task of model "${requested}" in run ${runId} (models with results: ${models.join(', ') || 'none'})`,
        2,
      );
    return requested;
  }
  if (models.length === 1) return models[0]!;
  if (models.length === 0)
    throw new CliError(`run ${runId} has no scored task yet: nothing to write in lm-eval's format`, 1);
  throw new UsageError(
    `lm-eval's results.json holds one model and run ${runId} has ${models.length}: give --model (${models.join(', ')})`,
  );
}

/** --format, else the --out file's extension, else Markdown. */
function formatOf(requested: string | undefined, out: string | undefined): Format {
  if (requested !== undefined) {
    if (!(FORMATS as readonly string[]).includes(requested))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${requested}"`);
    return requested as Format;
  }
  const ext = out === undefined ? '' : path.extname(out).slice(1).toLowerCase();
  if (ext === 'htm') return 'html';
  if (ext === 'markdown') return 'md';
  if (ext === 'txt') return 'text';
  if (ext !== '' && !isReportFormat(ext))
    throw new CliError(`cannot tell the format from "${out}": give --format ${FORMATS.join('|')}`, 2);
  return ext === '' ? 'md' : ext;
}
