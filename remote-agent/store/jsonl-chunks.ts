import * as fs from 'fs';

const CHUNK_BYTES = 4 << 20;

/**
 * Consecutive buffers of whole lines of `file` between byte `from` and `to` (each ends with "\n"), with the byte offset
 * of each, read a few megabytes at a time so a file of any size is scanned in bounded memory. A last line without its
 * newline (a write in progress or torn) is not given. A buffer is valid until the next is asked for (it is reused).
 */
export function* lineChunks(
  file: string,
  from: number,
  to: number,
): Generator<{ buf: Buffer; offset: number }, number> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return from;
    throw err;
  }
  try {
    let pos = from;
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    // The start of a line cut by the last read, moved to the front of the buffer and completed by the next read.
    let carried = 0;
    while (pos + carried < to) {
      if (carried === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
      const n = fs.readSync(fd, buf, carried, Math.min(buf.length - carried, to - pos - carried), pos + carried);
      if (n === 0) break;
      const filled = carried + n;
      const lastNl = buf.lastIndexOf(0x0a, filled - 1);
      if (lastNl < 0) {
        carried = filled;
        continue;
      }
      yield { buf: buf.subarray(0, lastNl + 1), offset: pos };
      pos += lastNl + 1;
      carried = buf.copy(buf, 0, lastNl + 1, filled);
    }
    return pos;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Calls `onChunk` with each buffer of whole lines of lineChunks(file, from, to) and its offset; `onChunk` may return
 * false to stop early. Returns the byte offset after the last whole line passed.
 */
export function forEachLineChunk(
  file: string,
  from: number,
  to: number,
  onChunk: (buf: Buffer, offset: number) => boolean | void,
): number {
  const chunks = lineChunks(file, from, to);
  for (let next = chunks.next(); ; next = chunks.next()) {
    if (next.done) return next.value;
    if (onChunk(next.value.buf, next.value.offset) === false) {
      chunks.return(0);
      return next.value.offset + next.value.buf.length;
    }
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
