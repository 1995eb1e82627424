import type { Prediction } from '../../common/run/records';
import { forEachLineChunk } from '../store/jsonl-chunks';
import type { TaskIndex } from './task-index';

/** Whether a prediction contains the (lower-cased) needle in its id, output, reference or prompt: what search means. */
export function predictionContains(p: Prediction, needle: string): boolean {
  const prompt =
    typeof p.prompt === 'string'
      ? p.prompt
      : p.prompt.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
  return [p.id, p.output, p.reference ?? '', prompt].some((s) => s.toLowerCase().includes(needle));
}

/** ASCII letters lower-cased in place: enough to find an ASCII needle in UTF-8 bytes without decoding them. */
function lowerAscii(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c >= 0x41 && c <= 0x5a) out[i] = c + 32;
  }
  return out;
}

export interface SearchProgress {
  /** Records of the current lines that matched in the chunk just scanned, in file order. */
  matches: number[];
  scannedBytes: number;
  totalBytes: number;
}

/**
 * Scans the task's JSONL a few megabytes at a time for the needle and reports each chunk's matches as it goes, so
 * the first matches arrive long before a large file is read through. A line is a candidate when its raw JSON holds
 * the needle (as JSON writes it, lower-cased); a candidate is a match when its prediction contains the needle where
 * search looks, and when it is its sample's current line. `onProgress` may return false to stop.
 */
export function scanForText(task: TaskIndex, search: string, onProgress: (p: SearchProgress) => boolean | void): void {
  const needle = search.toLowerCase();
  const raw = JSON.stringify(needle).slice(1, -1);
  const ascii = /^[\x20-\x7e]*$/.test(raw);
  const rawBytes = Buffer.from(raw, 'utf8');
  const cols = task.cols;
  const current = new Uint8Array(cols.count);
  for (const r of task.rows) current[r] = 1;
  const total = task.loaded.size;
  forEachLineChunk(task.file, 0, total, (buf, base) => {
    const hay = ascii ? lowerAscii(buf) : undefined;
    const candidates: number[] = [];
    if (hay) {
      for (let at = hay.indexOf(rawBytes); at >= 0;) {
        const start = hay.lastIndexOf(0x0a, at) + 1;
        const end = hay.indexOf(0x0a, at);
        const r = cols.findByOffset(base + start);
        if (r >= 0 && current[r]) candidates.push(r);
        at = hay.indexOf(rawBytes, end + 1);
      }
    } else {
      let start = 0;
      for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
        if (buf.toString('utf8', start, i).toLowerCase().includes(raw)) {
          const r = cols.findByOffset(base + start);
          if (r >= 0 && current[r]) candidates.push(r);
        }
        start = i + 1;
      }
    }
    const matches = candidates.length
      ? task.read(candidates).flatMap((p, k) => (predictionContains(p, needle) ? [candidates[k]!] : []))
      : [];
    return onProgress({ matches, scannedBytes: base + buf.length, totalBytes: total });
  });
}

const MAX_SEARCHES = 8;
const searches = new Map<string, Int32Array>();

/** Every current record whose prediction contains the text, in sample order; the last few searches are remembered. */
export function searchAll(task: TaskIndex, search: string): Int32Array {
  const key = `${task.file}\0${task.loaded.ino}:${task.loaded.size}:${task.loaded.mtimeMs}\0${search.toLowerCase()}`;
  const hit = searches.get(key);
  if (hit) return hit;
  const found: number[] = [];
  scanForText(task, search, (p) => {
    for (const r of p.matches) found.push(r);
  });
  const cols = task.cols;
  const sorted = Int32Array.from(found).sort((a, b) => cols.sampleIndexOf(a) - cols.sampleIndexOf(b));
  searches.set(key, sorted);
  while (searches.size > MAX_SEARCHES) searches.delete(searches.keys().next().value!);
  return sorted;
}
