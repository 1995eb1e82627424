import * as fs from 'fs';
import * as path from 'path';
import { datasetNeedsVision } from '../../src/common/catalog/dataset';
import type { PlanDataset } from '../../src/common/run/dataset-files';
import type { RunRequest } from '../../src/common/run/request';
import { imagesOf } from '../datasets/adapters/multimodal';
import { readRecords } from '../datasets/read-records';

const MAX_LISTED = 5;

/** A reference that names a file (not a data URL, a remote URL, or inline base64). */
function imageFileOf(ref: unknown): string | undefined {
  const s = typeof ref === 'string' ? ref : ref && typeof ref === 'object' && !(ref as { bytes?: unknown }).bytes ? (ref as { path?: unknown }).path : undefined;
  if (typeof s !== 'string' || !s.trim()) return undefined;
  const t = s.trim();
  if (/^data:/i.test(t) || /^https?:\/\//i.test(t)) return undefined;
  // Inline base64 never has a dot; a path almost always does (the loader tells them apart the same way).
  if (!t.includes('.') && (t.length >= 16 && /^[A-Za-z0-9+/\s]+={0,2}$/.test(t))) return undefined;
  return t;
}

/**
 * Blocking plan errors for multimodal datasets read in place: each record whose image file is not beside the data
 * file (or at its absolute path), naming the dataset, the record's line and the path, before any job starts an engine.
 */
export function missingImageErrors(request: Pick<RunRequest, 'datasets'>, files: PlanDataset[]): string[] {
  const errors: string[] = [];
  for (const f of files) {
    const dataset = request.datasets[f.dataset];
    if (!dataset || !datasetNeedsVision(dataset) || f.field !== 'path' || !f.present || f.source === 'hub') continue;
    let records;
    try {
      records = readRecords(f.reads).records;
    } catch {
      continue; // an unreadable file is the loader's to report, with its line
    }
    const missing: string[] = [];
    for (const r of records) {
      for (const ref of imagesOf(r.value)) {
        const file = imageFileOf(ref);
        if (file === undefined) continue;
        const at = path.isAbsolute(file) ? file : path.join(path.dirname(f.reads), file);
        if (!fs.existsSync(at)) missing.push(`line ${r.line}: ${file} (${at})`);
      }
    }
    if (missing.length) {
      const more = missing.length > MAX_LISTED ? `, and ${missing.length - MAX_LISTED} more` : '';
      errors.push(`dataset "${f.dataset}": ${missing.length} image file${missing.length === 1 ? '' : 's'} missing: ${missing.slice(0, MAX_LISTED).join('; ')}${more}`);
    }
  }
  return errors;
}
