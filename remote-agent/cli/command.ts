import type { Args } from './args';
import type { OptionTable } from './option-table';

export interface Command {
  name: string;
  /** One line for `evalbench help`. */
  summary: string;
  /** What follows `evalbench NAME` on the usage line. */
  usage: string;
  options: OptionTable;
  /** Paragraphs printed after the options (what the command prints, exit codes). */
  details?: string;
  /** Left out of `evalbench help` (still answers `--help`): commands that jobs and the extension run. */
  internal?: boolean;
  run: (args: Args) => number | Promise<number>;
}

/**
 * The shape commands had before the option table: a list of flag names and a usage line. Still accepted so a
 * command written that way keeps working; its options are listed without descriptions.
 */
export interface FlagListCommand {
  name: string;
  flags: string[];
  booleans?: string[];
  help: string;
  run: (args: Args) => number | Promise<number>;
}

export function asCommand(c: Command | FlagListCommand): Command {
  if ('options' in c) return c;
  const options: OptionTable = {};
  for (const f of c.flags)
    options[f] = c.booleans?.includes(f) ? { type: 'boolean', help: '' } : { type: 'string', value: 'VALUE', help: '' };
  const usage = c.help.startsWith(`${c.name} `) ? c.help.slice(c.name.length + 1) : c.help;
  return { name: c.name, summary: usage, usage, options, run: c.run };
}

/** `evalbench NAME USAGE`: the line usage errors repeat. */
export function usageLine(c: Command): string {
  return `evalbench ${c.name} ${c.usage}`.trimEnd();
}
