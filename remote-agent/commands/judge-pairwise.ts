import { CliError, UsageError } from '../cli/args';
import type { Command } from '../cli/command';
import { JUDGE_USAGE, judgeFromArgs } from '../cli/judge-args';
import { JSON_OPTION, JUDGE_OPTIONS, WORKDIR_OPTIONS } from '../cli/options';
import { PairwiseError, runPairwise, type PairwiseReport } from '../judge/pairwise-run';
import { runFromArgs } from './status';

function renderPairwise(r: PairwiseReport): string {
  const s = r.summary;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `${r.models.a} vs ${r.models.b} on ${r.dataset}, judged by ${r.judge} (both orders per game)`,
    `  ${r.models.a} win rate ${pct(s.winRate)} ± ${pct(s.stderr)}: ${s.wins} wins, ${s.losses} losses, ${s.ties} ties (${s.inconsistent} from position-inconsistent verdicts), ${s.errors} errors over ${s.games} games`,
    `  ${r.samples} samples compared${r.skipped ? `, ${r.skipped} left out (no answer from one of the models)` : ''}`,
  ];
  for (const g of r.games.filter((x) => x.winner === 'error').slice(0, 10))
    lines.push(`  ERROR ${g.id} turn ${g.turn + 1}: ${g.reason}`);
  lines.push(`  written to ${r.file}`);
  return lines.join('\n') + '\n';
}

export const judgePairwiseCommand: Command = {
  name: 'judge-pairwise',
  summary: "judge two models' answers against each other (MT-Bench pair-v2, both orders per game)",
  usage: `RUN --dataset D --models a,b ${JUDGE_USAGE} [--json] [--workdir DIR | --target PROFILE --workspace DIR]`,
  options: {
    dataset: { type: 'string', value: 'D', help: 'the judged dataset both models answered (required)' },
    models: { type: 'string', value: 'a,b', help: 'the two models to compare (required)' },
    ...JUDGE_OPTIONS,
    ...JSON_OPTION,
    ...WORKDIR_OPTIONS,
  },
  run: async (args) => {
    const paths = runFromArgs(args);
    const models = args.list('models');
    if (!models || models.length !== 2) throw new UsageError('--models names exactly two models: --models a,b');
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const report = await runPairwise({
        paths,
        dataset: args.required('dataset'),
        models: [models[0]!, models[1]!],
        judge: judgeFromArgs(args),
        signal: controller.signal,
        log: (m) => process.stderr.write(`evalbench: ${m}\n`),
      });
      process.stdout.write(args.has('json') ? JSON.stringify(report) + '\n' : renderPairwise(report));
      return 0;
    } catch (err) {
      if (err instanceof PairwiseError) throw new CliError(err.message, 1);
      throw err;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
