import { EVALBENCH_VERSION } from '../../common/version';
import type { Command } from './command';
import { usageLine } from './command';

const HELP_OPTION = { name: '-h, --help', help: 'show this help and exit' };

/** `evalbench COMMAND --help`: usage, what it does, every option with its value and description. */
export function commandHelp(c: Command): string {
  const rows = Object.entries(c.options).map(([name, o]) => ({
    name: `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`,
    help: o.help,
  }));
  rows.push(HELP_OPTION);
  const width = Math.min(30, Math.max(...rows.map((r) => r.name.length)));
  const lines = [`usage: ${usageLine(c)}`, '', c.summary, '', 'options:'];
  for (const r of rows)
    lines.push(
      r.name.length > width
        ? `  ${r.name}\n  ${''.padEnd(width)}  ${r.help}`
        : `  ${r.name.padEnd(width)}  ${r.help}`.trimEnd(),
    );
  if (c.details) lines.push('', c.details.trim());
  return lines.join('\n') + '\n';
}

/** `evalbench help`: every command with its one-line summary. */
export function overallHelp(commands: Command[]): string {
  const shown = commands.filter((c) => !c.internal);
  const width = Math.max(...shown.map((c) => c.name.length));
  return (
    [
      `evalbench ${EVALBENCH_VERSION}: plan, run and report LLM evaluations on a SLURM cluster or this machine`,
      '',
      'usage: evalbench COMMAND [options]',
      '',
      'commands:',
      ...shown.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      'Run "evalbench COMMAND --help" for the options of a command.',
    ].join('\n') + '\n'
  );
}
