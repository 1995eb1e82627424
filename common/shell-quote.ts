/**
 * Quotes a value for a POSIX shell: plain words stay as they are, anything else is single-quoted (embedded single
 * quotes closed, escaped and reopened), so `$(…)`, backticks, globs and spaces stay inert. The extension (remote
 * scripts over SSH) and the agent (engine commands, job scripts) share it.
 */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
