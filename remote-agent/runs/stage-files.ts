import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { datasetNeedsVision } from '../../common/catalog/dataset';
import { stageCandidates, stagedName, type DatasetFiles, type StagedFile } from '../../common/run/dataset-files';
import type { DatasetImageFiles } from '../../common/run/dataset-images';
import type { RunRequest } from '../../common/run/request';
import { stagedFilePath, stagedFilePresent } from './staged-file';
import { hashFile } from './hash-file';
import { collectDatasetImages } from './stage-images';

/** Progress of copying one file: bytes so far of `total`. */
export type CopyProgress = (file: string, done: number, total: number) => void;

/** What a client stages for a request: the data files and their records' images, and where each hash lies here. */
export interface StagedWorkspaceFiles {
  files: DatasetFiles;
  images: DatasetImageFiles;
  /** sha256 → the local file with that content. */
  local: Map<string, string>;
}

/**
 * The workspace files of a request's datasets, by hash: each relative path (and `fewShotPath`, `answersPath`) that
 * names a file under `workspace`; with `remote` (the target is another machine) absolute paths of this machine too.
 * A data file whose records name images (a vision format) takes them along (stage-images.ts).
 */
export async function workspaceDatasetFiles(
  request: Pick<RunRequest, 'datasets'>,
  workspace: string,
  remote = false,
): Promise<StagedWorkspaceFiles> {
  const files: DatasetFiles = {};
  const images: DatasetImageFiles = {};
  const local = new Map<string, string>();
  for (const c of stageCandidates(request.datasets, remote)) {
    const file = path.resolve(workspace, c.path);
    if (!isFile(file)) continue;
    const staged: StagedFile = { ...(await hashFile(file)), name: stagedName(c.path) };
    (files[c.dataset] ??= {})[c.field] = staged;
    local.set(staged.sha256, file);
    if (c.field === 'path' && datasetNeedsVision(request.datasets[c.dataset]!)) {
      const collected = await collectDatasetImages(file, workspace);
      images[c.dataset] = collected.images;
      for (const [sha256, from] of collected.local) local.set(sha256, from);
    }
  }
  return { files, images, local };
}

/** The request's fields naming what was staged (none when nothing was). */
export function stagedRequestFields(
  staged: Pick<StagedWorkspaceFiles, 'files' | 'images'>,
): Pick<RunRequest, 'datasetFiles' | 'datasetImages'> {
  return {
    ...(Object.keys(staged.files).length ? { datasetFiles: staged.files } : {}),
    ...(Object.keys(staged.images).length ? { datasetImages: staged.images } : {}),
  };
}

/** Every staged file of a request, each content and name once. */
export function allStagedFiles(staged: Pick<StagedWorkspaceFiles, 'files' | 'images'>): StagedFile[] {
  const all = new Map<string, StagedFile>();
  const add = (f: StagedFile | undefined) => f && all.set(`${f.sha256}/${f.name}`, f);
  for (const byField of Object.values(staged.files)) Object.values(byField).forEach(add);
  for (const d of Object.values(staged.images)) Object.values(d.images).forEach(add);
  return [...all.values()];
}

/**
 * Copies each staged file not yet in the work directory to `<workdir>/datasets/<sha256>/<name>`: a temporary name,
 * size checked, then renamed, so a job never reads half a file; private to the user, read-only for everyone else.
 */
export async function copyStagedFiles(
  staged: Pick<StagedWorkspaceFiles, 'files' | 'images'>,
  local: Map<string, string>,
  workdir: string,
  onProgress?: CopyProgress,
): Promise<{ copied: number; bytes: number }> {
  let copied = 0;
  let bytes = 0;
  for (const f of allStagedFiles(staged)) {
    if (stagedFilePresent(workdir, f)) continue;
    const source = local.get(f.sha256);
    if (!source) throw new Error(`no local file for ${f.name} (${f.sha256})`);
    await copyFileByHash(source, workdir, f, onProgress);
    copied++;
    bytes += f.size;
  }
  return { copied, bytes };
}

/** Copies one file to `<workdir>/datasets/<sha256>/<name>` (temporary name, hash checked, renamed into place). */
export async function copyFileByHash(
  source: string,
  workdir: string,
  f: StagedFile,
  onProgress?: CopyProgress,
): Promise<void> {
  const dest = stagedFilePath(workdir, f);
  const size = f.size;
  const hash = createHash('sha256');
  fs.mkdirSync(path.join(workdir, 'datasets'), { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
  const tmp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const input = fs.createReadStream(source);
      const output = fs.createWriteStream(tmp, { mode: 0o644 });
      input.on('data', (chunk) => {
        done += chunk.length;
        hash.update(chunk as Buffer);
        onProgress?.(path.basename(source), done, size);
      });
      input.on('error', reject);
      output.on('error', reject);
      output.on('finish', resolve);
      input.pipe(output);
    });
    const st = fs.statSync(tmp);
    if (st.size !== size || hash.digest('hex') !== f.sha256)
      throw new Error(
        `${source} changed since it was planned (${st.size} bytes now, ${size} planned): plan the run again`,
      );
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
