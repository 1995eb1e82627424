import * as fs from 'fs';

export interface JsonlLine {
  /** Byte offset where the line starts. */
  offset: number;
  /** 1-based line number, counted from where the read started (the file's own line number when it starts at 0). */
  line: number;
  text: string;
}

/**
 * The complete lines of an append-only file from a byte offset on. A last line without its newline is a write in
 * progress (or torn by a crash): it is not returned, and `next` stops before it, so a later read picks it up whole.
 */
export function readCompleteLines(file: string, from = 0): { lines: JsonlLine[]; next: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], next: from };
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (from >= size) return { lines: [], next: Math.min(from, size) };
    const buf = Buffer.alloc(size - from);
    let read = 0;
    while (read < buf.length) {
      const n = fs.readSync(fd, buf, read, buf.length - read, from + read);
      if (n === 0) break;
      read += n;
    }
    const lines: JsonlLine[] = [];
    let start = 0;
    let line = 0;
    for (let i = 0; i < read; i++) {
      if (buf[i] !== 0x0a) continue;
      line++;
      const text = buf.toString('utf8', start, i);
      if (text.trim() !== '') lines.push({ offset: from + start, line, text });
      start = i + 1;
    }
    return { lines, next: from + start };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Cuts a torn last line (no trailing newline: the writer died mid-write) so the next append starts on a fresh
 * line. Returns the number of bytes dropped. Only the file's single writer may call this.
 */
export function dropTornTail(file: string): number {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const { next } = readCompleteLines(file, 0);
  if (next < size) fs.truncateSync(file, next);
  return size - next;
}

/** Appends one JSON value as one line with a single write (O_APPEND), so concurrent appenders never interleave within a line. */
export function appendJsonLine(file: string, value: unknown): void {
  const line = JSON.stringify(value) + '\n';
  if (line.indexOf('\n') !== line.length - 1) throw new Error('a JSON line may not contain a raw newline');
  fs.appendFileSync(file, line);
}
