/** A catalog error at an exact place in a file: offsets into the file's text. */
export interface CatalogProblem {
  file: string;
  offset: number;
  length: number;
  message: string;
  severity: 'error' | 'warning';
  /** A quick fix: replace the problem's range with `text` (e.g. the id "did you mean" names). */
  fix?: { title: string; text: string };
}

export interface Position {
  line: number; // 0-based
  character: number; // 0-based
}

export function offsetToPosition(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: end - lineStart };
}

/** `file:line:col message`, 1-based, as compilers print it. */
export function formatProblem(p: CatalogProblem, text: string): string {
  const pos = offsetToPosition(text, p.offset);
  return `${p.file}:${pos.line + 1}:${pos.character + 1} ${p.severity}: ${p.message}`;
}
