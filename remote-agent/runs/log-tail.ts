import * as fs from 'fs';

/** The last `bytes` of a file (from a line start where possible), or undefined when it does not exist. */
export function tailFile(file: string, bytes: number): { text: string; size: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    let text = buf.toString('utf8');
    if (start > 0) {
      const nl = text.indexOf('\n');
      if (nl >= 0 && nl < text.length - 1) text = text.slice(nl + 1);
    }
    return { text, size };
  } finally {
    fs.closeSync(fd);
  }
}

/** The last non-empty lines of a job log, joined: the hint shown when a job died without a word. */
export function lastLogLines(file: string, lines = 2): string | undefined {
  const tail = tailFile(file, 4096);
  if (!tail) return undefined;
  const picked = tail.text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines);
  return picked.length ? picked.join(' | ').slice(0, 500) : undefined;
}
