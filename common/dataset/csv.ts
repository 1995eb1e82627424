/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines; CRLF or LF rows. Each row with its
 * 1-based line. A quote opens a quoted field only at the start of a field: inside an unquoted field (`5" screen`)
 * it is a literal character, so one stray quote cannot swallow the rest of the file. Text after a closing quote
 * (`"a"b`) is kept as written, as Python's csv module does.
 */
export function parseCsv(text: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let rowHasContent = false;
  /** No character of the current field read yet (a quote here opens a quoted field). */
  let atFieldStart = true;
  let quoteLine = 0;
  const endRow = (): void => {
    if (rowHasContent || cells.length > 0 || cell !== '') rows.push({ line: rowLine, cells: [...cells, cell] });
    cells = [];
    cell = '';
    rowHasContent = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      quoteLine = line;
      rowHasContent = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      rowHasContent = true;
      atFieldStart = true;
      continue;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
      atFieldStart = true;
      continue;
    } else {
      cell += c;
      rowHasContent = true;
    }
    atFieldStart = false;
  }
  if (quoted)
    throw new CsvError(
      `line ${quoteLine}: a quoted field opens here and is never closed (a quote that should be doubled, "")`,
    );
  endRow();
  return rows;
}

/** The text is not CSV (a quoted field never closed): the message names the line. */
export class CsvError extends Error {}

/** A first row of short identifier-like cells (`question,choice0,…,answer`) is a header; a data row rarely is. */
export function looksLikeHeader(cells: string[]): boolean {
  return (
    cells.length > 1 &&
    new Set(cells).size === cells.length &&
    cells.every((c) => /^[A-Za-z_][A-Za-z0-9_ .-]{0,40}$/.test(c))
  );
}
