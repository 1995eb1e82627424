import * as fs from 'fs';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/** hyparquet reads through an AsyncBuffer: slices of the file read on demand, so a big shard is not loaded twice. */
function fileBuffer(file: string): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  const size = fs.statSync(file).size;
  return {
    byteLength: size,
    slice(start, end = size) {
      const length = Math.max(0, end - start);
      const out = Buffer.alloc(length);
      const fd = fs.openSync(file, 'r');
      try {
        let read = 0;
        while (read < length) {
          const n = fs.readSync(fd, out, read, length - read, start + read);
          if (n === 0) break;
          read += n;
        }
      } finally {
        fs.closeSync(fd);
      }
      return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + length) as ArrayBuffer);
    },
  };
}

/** Every row of a Parquet file as a JSON-safe object (see toJsonValue). Snappy, gzip, zstd, brotli and lz4 pages are read. */
export async function readParquetRows(file: string): Promise<Record<string, unknown>[]> {
  // utf8: false keeps binary columns (an Image feature's bytes) as bytes; STRING columns are still decoded as text.
  const rows = await parquetReadObjects({ file: fileBuffer(file), compressors, utf8: false });
  return rows.map((r) => toJsonValue(r) as Record<string, unknown>);
}

/**
 * A Parquet value as JSON: int64 as a number when exact (else its decimal string), bytes as base64 (a Hub Image
 * feature becomes {bytes: base64, path}), dates as ISO strings, typed arrays as arrays, NaN and infinities as null.
 */
export function toJsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, toJsonValue);
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJsonValue(x);
    return out;
  }
  return String(v);
}
