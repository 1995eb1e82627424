import { decodeImageBase64 } from './data-url';

/**
 * The file an image reference of a record names, as `imageToDataUrl` reads it; undefined for what is not a file:
 * a data URL, an http(s) URL (refused by the loader with the record's line, never fetched), inline base64, or the
 * Hub's Image feature with its bytes. A malformed reference is undefined too: the loader reports it per record.
 */
export function imageFileReference(ref: unknown): string | undefined {
  if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
    const o = ref as Record<string, unknown>;
    if (typeof o.bytes === 'string' && o.bytes) return undefined;
    const inner = o.path ?? o.url ?? o.base64;
    return typeof inner === 'string' ? imageFileReference(inner) : undefined;
  }
  if (typeof ref !== 'string' || !ref.trim()) return undefined;
  const s = ref.trim();
  if (/^data:/i.test(s) || /^https?:\/\//i.test(s) || decodeImageBase64(s)) return undefined;
  return s;
}
