import * as fs from 'fs';

const CHUNK_BYTES = 4 << 20;

/**
 * Calls `onChunk` with consecutive buffers of whole lines of `file` between byte `from` and `to` (each buffer ends
 * with "\n"), reading a few megabytes at a time so a file of any size is scanned in bounded memory. A last line
 * without its newline (a write in progress or torn) is not passed. Returns the byte offset after the last whole line.
 * `onChunk` may return false to stop early.
 */
export function forEachLineChunk(file: string, from: number, to: number, onChunk: (buf: Buffer, offset: number) => boolean | void): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return from;
    throw err;
  }
  try {
    let pos = from;
    let carry: Buffer = Buffer.alloc(0);
    const buf = Buffer.alloc(CHUNK_BYTES);
    while (pos + carry.length < to) {
      const want = Math.min(CHUNK_BYTES, to - pos - carry.length);
      const n = fs.readSync(fd, buf, 0, want, pos + carry.length);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const lastNl = data.lastIndexOf(0x0a);
      if (lastNl < 0) {
        carry = Buffer.from(data);
        continue;
      }
      const whole = data.subarray(0, lastNl + 1);
      const keepGoing = onChunk(whole, pos);
      pos += whole.length;
      carry = Buffer.from(data.subarray(lastNl + 1));
      if (keepGoing === false) return pos;
    }
    return pos;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export function readRange(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = fs.readSync(fd, buf, read, length - read, offset + read);
    if (n === 0) break;
    read += n;
  }
  return buf.subarray(0, read);
}
