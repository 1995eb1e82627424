export interface OptionSpec {
  type: 'string' | 'boolean';
  /** What the value is, as the help shows it (`DIR`, `N`, `a,b`). */
  value?: string;
  /** A one-letter alias (`-o`). */
  short?: string;
  help: string;
}

/** Options by long name, without the leading dashes, in the order the help lists them. */
export type OptionTable = Record<string, OptionSpec>;
