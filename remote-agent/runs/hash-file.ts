import { createHash } from 'crypto';
import * as fs from 'fs';

/** SHA-256 and size of a file, read as a stream (a dataset may be larger than is wise to hold in memory). */
export async function hashFile(file: string): Promise<{ sha256: string; size: number; records?: number }> {
  const h = createHash('sha256');
  let size = 0;
  let lines = 0;
  let lastByte = 10;
  const countLines = /\.(jsonl|ndjson)$/i.test(file);
  for await (const chunk of fs.createReadStream(file)) {
    const b = chunk as Buffer;
    h.update(b);
    size += b.length;
    if (countLines) {
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
      lastByte = b[b.length - 1] ?? lastByte;
    }
  }
  // Non-empty JSON lines: a close enough count for the plan's estimate (the loader counts exactly).
  return { sha256: h.digest('hex'), size, ...(countLines ? { records: lines + (lastByte === 10 || size === 0 ? 0 : 1) } : {}) };
}
