import * as fs from 'fs';
import * as path from 'path';
import { RecordError } from '../adapters/adapter';

/** Larger images are refused: vLLM's default request limits and the predictions file would suffer. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The image type from the first bytes (PNG, JPEG, GIF, WebP, BMP); undefined for anything else. */
export function sniffImageMime(bytes: Uint8Array): string | undefined {
  const b = (i: number): number => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'image/png';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return 'image/gif';
  if (
    b(0) === 0x52 &&
    b(1) === 0x49 &&
    b(2) === 0x46 &&
    b(3) === 0x46 &&
    b(8) === 0x57 &&
    b(9) === 0x45 &&
    b(10) === 0x42 &&
    b(11) === 0x50
  )
    return 'image/webp';
  if (b(0) === 0x42 && b(1) === 0x4d) return 'image/bmp';
  return undefined;
}

/** The MIME type comes from the bytes, not the name: a mislabelled file is still sent as what it is. */
function dataUrl(bytes: Buffer, what: string): string {
  if (bytes.length === 0) throw new RecordError(`${what} is empty`);
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new RecordError(
      `${what} is ${(bytes.length / 1e6).toFixed(1)} MB, over the ${MAX_IMAGE_BYTES / 1e6} MB limit`,
    );
  const mime = sniffImageMime(bytes);
  if (!mime) throw new RecordError(`${what} is not a PNG, JPEG, GIF, WebP or BMP image`);
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}$/;

/** Base64 that decodes to a known image: told apart from a path ("images/a.png" has a dot, base64 never does). */
export function decodeImageBase64(s: string): Buffer | undefined {
  if (s.length < 16 || !BASE64.test(s)) return undefined;
  const bytes = Buffer.from(s, 'base64');
  return sniffImageMime(bytes) ? bytes : undefined;
}

/**
 * One image reference of a record as a data URL: a data URL (checked and kept), base64 of the image, a path relative
 * to the data file's folder (or absolute), or the Hub's Image feature {bytes, path} (bytes as base64, as the Parquet
 * reader writes them). Problems are RecordErrors: the record is reported with its line and skipped.
 */
export function imageToDataUrl(ref: unknown, baseDir: string): string {
  if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
    const o = ref as Record<string, unknown>;
    if (typeof o.bytes === 'string' && o.bytes) {
      return dataUrl(Buffer.from(o.bytes, 'base64'), `image ${typeof o.path === 'string' ? o.path : '(bytes)'}`);
    }
    const inner = o.path ?? o.url ?? o.base64;
    if (typeof inner === 'string') return imageToDataUrl(inner, baseDir);
    throw new RecordError('an image must be a path, base64, a data URL or {bytes, path}');
  }
  if (typeof ref !== 'string' || !ref.trim())
    throw new RecordError('an image must be a path, base64, a data URL or {bytes, path}');
  const s = ref.trim();
  const m = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s.exec(s);
  if (m) return dataUrl(Buffer.from(m[2]!, 'base64'), `the data URL image (${m[1]})`);
  if (/^https?:\/\//i.test(s))
    throw new RecordError(`image ${s}: remote URLs are not fetched; store the file beside the dataset or as base64`);
  const decoded = decodeImageBase64(s);
  if (decoded) return dataUrl(decoded, 'the base64 image');
  const file = path.isAbsolute(s) ? s : path.join(baseDir, s);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new RecordError(
      `image file not found: ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return dataUrl(bytes, `image ${s}`);
}
