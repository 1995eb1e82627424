import { createHash } from 'crypto';
import * as fs from 'fs';

/**
 * SHA-256 and size of a file, read as a stream (a dataset may be larger than is wise to hold in memory), and for JSON
 * lines the records as the agent counts them (non-blank lines), so that the plan is the same before and after upload.
 */
export async function hashFile(file: string): Promise<{ sha256: string; size: number; records?: number }> {
  const h = createHash('sha256');
  let size = 0;
  let records = 0;
  let lineHasText = false;
  const countLines = /\.(jsonl|ndjson)$/i.test(file);
  for await (const chunk of fs.createReadStream(file)) {
    const b = chunk as Buffer;
    h.update(b);
    size += b.length;
    if (!countLines) continue;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c === 10) {
        if (lineHasText) records++;
        lineHasText = false;
      } else if (c !== 32 && c !== 9 && c !== 13) lineHasText = true;
    }
  }
  if (lineHasText) records++;
  return { sha256: h.digest('hex'), size, ...(countLines ? { records } : {}) };
}
