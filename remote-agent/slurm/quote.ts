import { shellQuote as quoteForShell } from '../../common/shell-quote';

/** A value that cannot be put into a script line safely (a newline would start a new command or directive). */
export class UnsafeValueError extends Error {}

const LINE_BREAKS = /[\n\r\0]/;

export function assertOneLine(what: string, value: string): void {
  if (LINE_BREAKS.test(value))
    throw new UnsafeValueError(`${what} may not contain a newline or NUL: ${JSON.stringify(value)}`);
}

/** POSIX shell quoting for a script line: the value reaches the program byte for byte, and is one line. */
export function shellQuote(value: string, what = 'a value'): string {
  assertOneLine(what, value);
  return quoteForShell(value);
}

/**
 * A value in an `#SBATCH --opt="…"` line. sbatch (not a shell) reads these lines: it honours double quotes and
 * `\"`, expands nothing. A backslash is refused: in --output it would also turn off `%j` substitution.
 */
export function sbatchQuote(value: string, what = 'a value'): string {
  assertOneLine(what, value);
  if (value.includes('\\')) throw new UnsafeValueError(`${what} may not contain a backslash: ${JSON.stringify(value)}`);
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** In --output/--error file names `%` introduces a pattern (`%j`); a literal one is `%%`. */
export function escapeSlurmFilenamePattern(value: string): string {
  return value.replace(/%/g, '%%');
}

/** Job names are labels for squeue: keep them plain. */
export function jobName(modelId: string): string {
  return `evalbench-${modelId.replace(/[^A-Za-z0-9_.-]/g, '_')}`.slice(0, 64);
}
