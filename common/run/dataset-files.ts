import { z } from 'zod';
import type { DatasetFormat } from '../catalog/dataset';
import { CatalogId } from '../catalog/ids';

/**
 * Dataset files travel with the run: a file found in the workspace is uploaded (or, for a target on this machine,
 * copied) into the work directory by content hash, `<workdir>/datasets/<sha256>/<name>`, once; later runs reuse it.
 * The request names each such file by hash, size and name, so it stays self-contained and the agent knows where the
 * job will read it without seeing the workspace.
 */
export const DATASET_FILE_FIELDS = ['path', 'fewShotPath', 'answersPath'] as const;
export const DatasetFileField = z.enum(DATASET_FILE_FIELDS);
export type DatasetFileField = z.infer<typeof DatasetFileField>;

/** A plain file name: safe as a path segment and in a shell, keeping the extension the reader goes by (.jsonl.gz). */
const STAGED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export const StagedFileSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex'),
  size: z.number().int().nonnegative(),
  name: z
    .string()
    .regex(STAGED_NAME, 'a plain file name (letters, digits, ".", "_", "-")')
    .refine((n) => !n.includes('..'), 'a plain file name without ".."'),
  /** Records counted by the client, for the plan's estimate before the file is uploaded. */
  records: z.number().int().nonnegative().optional(),
});
export type StagedFile = z.infer<typeof StagedFileSchema>;

/** Per dataset id, per file field: the workspace file the client uploads before submitting. */
export const DatasetFilesSchema = z.record(CatalogId, z.partialRecord(DatasetFileField, StagedFileSchema));
export type DatasetFiles = z.infer<typeof DatasetFilesSchema>;

/** A dataset file the client may hold: a workspace-relative path (or, for a remote target, an absolute local path). */
export interface StageCandidate {
  dataset: string;
  field: DatasetFileField;
  path: string;
}

/**
 * The dataset files a client should look for on its side and stage (pure): every relative path, and absolute ones
 * when the target is another machine. Hub paths are fetched on the login node, and a `path` with a `clusterPath` is
 * read on the cluster. A data file whose records name images takes its images along (dataset-images.ts).
 */
export function stageCandidates(
  datasets: Record<
    string,
    { format: DatasetFormat; path: string; fewShotPath?: string; answersPath?: string; clusterPath?: string }
  >,
  remote: boolean,
): StageCandidate[] {
  const out: StageCandidate[] = [];
  for (const [dataset, d] of Object.entries(datasets)) {
    for (const field of DATASET_FILE_FIELDS) {
      const p = d[field];
      if (p === undefined || p.startsWith('hf:') || (field === 'path' && d.clusterPath !== undefined)) continue;
      // Paths only the cluster's shell expands ($SCRATCH, ~) are not files of this machine.
      if (p.startsWith('~') || p.includes('$')) continue;
      const absolute = p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
      if (absolute && !remote) continue;
      out.push({ dataset, field, path: p });
    }
  }
  return out;
}

/** Where a staged file lives, relative to the work directory. */
export function stagedRelativePath(f: Pick<StagedFile, 'sha256' | 'name'>): string {
  return `datasets/${f.sha256}/${f.name}`;
}

/** The name a workspace file keeps on the cluster: its base name with anything unusual replaced by "_". */
export function stagedName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  let name = base
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .slice(-200);
  if (!/^[A-Za-z0-9]/.test(name)) name = `f${name}`.slice(0, 200);
  return name;
}

/**
 * Where the job reads one dataset file, as the plan shows it:
 * - `upload`: a workspace file, uploaded by hash (`upload: true`, `bytes` to send) or already there (`upload: false`);
 * - `cluster`: a file already on the cluster (`clusterPath`, an absolute path, or relative to the work directory);
 * - `hub`: an `hf:` dataset, fetched on the login node before submission into the work directory's cache.
 * `present: false` on a `cluster` file means it is missing everywhere: the plan then has an error naming `tried`.
 */
export const PlanDatasetSchema = z.strictObject({
  dataset: z.string(),
  field: DatasetFileField,
  /** As the catalog names it (workspace-relative path, hf: path). */
  declared: z.string(),
  source: z.enum(['upload', 'cluster', 'hub']),
  /** Absolute path the job reads (for `hub`: the cache directory of the split). */
  reads: z.string(),
  present: z.boolean(),
  /** For `upload`: true when the file must be sent, false when the same content is already there. */
  upload: z.boolean().optional(),
  bytes: z.number().int().nonnegative().optional(),
  /** For an uploaded data file whose records name images: the image files (each once), and those still to send. */
  images: z
    .strictObject({
      count: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      toUpload: z.number().int().nonnegative(),
      toUploadBytes: z.number().int().nonnegative(),
    })
    .optional(),
  /** Every place looked in, for a missing file. */
  tried: z.array(z.string()).optional(),
});
export type PlanDataset = z.infer<typeof PlanDatasetSchema>;

/** The blocking error of a file missing everywhere. */
export function missingDatasetError(line: PlanDataset): string {
  const what = line.field === 'path' ? 'file' : line.field === 'fewShotPath' ? 'few-shot file' : 'answers file';
  return `dataset "${line.dataset}": ${what} ${line.declared} is missing everywhere; tried ${(line.tried ?? [line.reads]).join(', ')}`;
}

/** One line for the plan: where the job reads the file and what happens to it first. */
export function describePlanDataset(line: PlanDataset): string {
  const extra = line.field === 'path' ? '' : ` (${line.field})`;
  const head = `${line.dataset}${extra}: ${line.declared}`;
  switch (line.source) {
    case 'upload':
      if (line.images?.count) return `${head} → ${describeWithImages(line, line.images)}`;
      return line.upload
        ? `${head} → upload ${formatBytes(line.bytes ?? 0)} to ${line.reads}`
        : `${head} → already uploaded at ${line.reads}`;
    case 'hub':
      return `${head} → fetched on the login node before submission${line.present ? ' (cached)' : ''} into ${line.reads}`;
    case 'cluster':
      return line.present
        ? `${head} → on the cluster at ${line.reads}`
        : `${head} → MISSING (tried ${(line.tried ?? [line.reads]).join(', ')})`;
  }
}

/** "upload 1.2 KiB and 3 images (45.0 KiB) to …", "upload 1 of its 3 images (…)", "already uploaded with its 3 images …". */
function describeWithImages(line: PlanDataset, images: NonNullable<PlanDataset['images']>): string {
  const all = `${images.count} image${images.count === 1 ? '' : 's'}`;
  if (!line.upload && images.toUpload === 0)
    return `already uploaded with its ${all} (${formatBytes(images.bytes)}) at ${line.reads}`;
  const parts = line.upload ? [formatBytes(line.bytes ?? 0)] : [];
  if (images.toUpload === images.count) parts.push(`${all} (${formatBytes(images.bytes)})`);
  else if (images.toUpload > 0)
    parts.push(
      `${images.toUpload} of its ${all} (${formatBytes(images.toUploadBytes)} of ${formatBytes(images.bytes)})`,
    );
  const there = images.toUpload === 0 ? ` (its ${all}, ${formatBytes(images.bytes)}, are there)` : '';
  return `upload ${parts.join(' and ')}${there} to ${line.reads}`;
}

/** Bytes the plan line sends: the data file when it is not there, and its images not yet there. */
export function bytesToUpload(line: PlanDataset): number {
  if (line.source !== 'upload') return 0;
  return (line.upload ? (line.bytes ?? 0) : 0) + (line.images?.toUploadBytes ?? 0);
}

/** Whether anything of the line must still be sent before submitting. */
export function needsUpload(line: PlanDataset): boolean {
  return line.source === 'upload' && (line.upload === true || (line.images?.toUpload ?? 0) > 0);
}

/** Submission's refusal of a line whose files the client has not sent yet. */
export function notUploadedError(line: PlanDataset): string {
  const parts: string[] = [];
  if (line.upload) parts.push(`${line.declared} is not at ${line.reads}`);
  const missing = line.images?.toUpload ?? 0;
  if (missing)
    parts.push(
      `${missing} of the ${line.images!.count} images of ${line.declared} ${missing === 1 ? 'is' : 'are'} not in the work directory`,
    );
  const it = parts.length === 1 && (line.upload || missing === 1) ? 'it' : 'them';
  return `dataset "${line.dataset}": ${parts.join(' and ')}: upload ${it} before submitting`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
