import { parseArgs } from 'node:util';
import { suggest } from '../../common/catalog/validate';
import type { OptionTable } from './option-table';

/** What a command receives: its options (by long name, without dashes) and its positional arguments. */
export class Args {
  constructor(
    readonly positional: string[],
    private readonly values: Map<string, string | true>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new UsageError(`--${name} is required`);
    return v;
  }

  list(name: string): string[] | undefined {
    const v = this.string(name);
    return v === undefined
      ? undefined
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }

  int(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
    return n;
  }

  /** A finite number (fractions and negatives allowed). */
  number(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
    return n;
  }
}

/** The result of reading a command line: either the command's arguments, or a request for its help. */
export type ParsedCommandLine = { help: true } | { help: false; args: Args };

/**
 * Reads `argv` against a command's option table with node's `parseArgs`: `--name value`, `--name=value`, boolean
 * `--flag`, `-h`/`--help`, `--` ending the options. Unknown options and missing values are usage errors, an unknown
 * one with the nearest known name.
 */
export function parseCommandLine(argv: string[], options: OptionTable): ParsedCommandLine {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
  const { positionals, tokens } = parseArgs({
    args: argv,
    options: { ...config, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const optionTokens = tokens.filter((t) => t.kind === 'option');
  // `--workspace --help`: parseArgs takes --help for the value; the user asked for help.
  if (optionTokens.some((t) => t.name === 'help' || (!t.inlineValue && (t.value === '--help' || t.value === '-h'))))
    return { help: true };
  const values = new Map<string, string | true>();
  for (const t of optionTokens) {
    const spec = options[t.name];
    if (!spec)
      throw new UsageError(
        `unknown option ${t.rawName}${suggest(t.name, Object.keys(options)).replace(/"([^"]+)"/, '--$1')}`,
      );
    if (spec.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`--${t.name} takes no value (got "${t.value}")`);
      values.set(t.name, true);
    } else {
      // Without an inline value parseArgs takes the next argument, even another option: that is a missing value.
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--')))
        throw new UsageError(
          `--${t.name} needs a value${t.value ? ` (got the option ${t.value}; write --${t.name}=${t.value} if that is the value)` : ''}`,
        );
      values.set(t.name, t.value);
    }
  }
  return { help: false, args: new Args(positionals, values) };
}

export class UsageError extends Error {}

/** An error the CLI reports as is and exits with `code` (2: bad input, 1: the work failed). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}
