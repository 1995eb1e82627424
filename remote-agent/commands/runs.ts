import type { RunSummary } from '../../common/run/records';
import type { Command } from '../cli/command';
import { JSON_OPTION, WORKDIR_OPTIONS } from '../cli/options';
import { listRuns } from '../runs/list';
import { plain } from '../report/render-text';
import { lookupWorkdir } from './workdir';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list the runs in a work directory, newest first',
  usage: '[--limit N] [--json] [--workdir DIR | --target PROFILE --workspace DIR]',
  options: {
    limit: { type: 'string', value: 'N', help: 'at most N runs (default: 50)' },
    ...JSON_OPTION,
    ...WORKDIR_OPTIONS,
  },
  run: async (args) => {
    const runs = await listRuns(lookupWorkdir(args), args.int('limit') ?? 50);
    process.stdout.write(args.has('json') ? JSON.stringify(runs) + '\n' : renderRuns(runs));
    return 0;
  },
};

export function renderRuns(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs\n';
  const rows = runs.map((r) => [
    plain(r.runId),
    r.state,
    `${r.tasks.done}/${r.tasks.total}${r.tasks.failed ? ` (${r.tasks.failed} failed)` : ''}`,
    plain(r.clusterId),
    [
      r.name && plain(r.name),
      r.category ? `category ${plain(r.category)}` : undefined,
      r.reference ? 'self-check' : undefined,
    ]
      .filter(Boolean)
      .join(', '),
  ]);
  const header = ['RUN', 'STATE', 'DONE', 'CLUSTER', 'WHAT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
