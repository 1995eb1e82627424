/** One line of a JSON-lines file: a record, a blank line (nothing), or why it is not a record. */
export type JsonLine = { value: Record<string, unknown> } | { problem: string } | undefined;

export function parseJsonLine(raw: string): JsonLine {
  const line = raw.trim();
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { problem: 'expected a JSON object' };
    return { value: value as Record<string, unknown> };
  } catch (e) {
    return { problem: `invalid JSON: ${(e as Error).message}` };
  }
}
