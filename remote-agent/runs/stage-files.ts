import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { stageCandidates, stagedName, type DatasetFiles, type StagedFile } from '../../src/common/run/dataset-files';
import type { RunRequest } from '../../src/common/run/request';
import { stagedFilePath, stagedFilePresent } from './staged-file';

/** Progress of copying one file: bytes so far of `total`. */
export type CopyProgress = (file: string, done: number, total: number) => void;

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

/**
 * The workspace files of a request's datasets, by hash: each relative path (and `fewShotPath`, `answersPath`) that
 * names a file under `workspace`; with `remote` (the target is another machine) absolute paths of this machine too.
 */
export async function workspaceDatasetFiles(request: Pick<RunRequest, 'datasets'>, workspace: string, remote = false): Promise<{ files: DatasetFiles; local: Map<string, string> }> {
  const files: DatasetFiles = {};
  const local = new Map<string, string>();
  for (const c of stageCandidates(request.datasets, remote)) {
    const file = path.resolve(workspace, c.path);
    if (!isFile(file)) continue;
    const staged: StagedFile = { ...(await hashFile(file)), name: stagedName(c.path) };
    (files[c.dataset] ??= {})[c.field] = staged;
    local.set(staged.sha256, file);
  }
  return { files, local };
}

/**
 * Copies each staged file not yet in the work directory to `<workdir>/datasets/<sha256>/<name>`: a temporary name,
 * size checked, then renamed, so a job never reads half a file; private to the user, read-only for everyone else.
 */
export async function copyStagedFiles(files: DatasetFiles, local: Map<string, string>, workdir: string, onProgress?: CopyProgress): Promise<{ copied: number; bytes: number }> {
  let copied = 0;
  let bytes = 0;
  const seen = new Set<string>();
  for (const byField of Object.values(files)) {
    for (const f of Object.values(byField)) {
      if (!f || seen.has(`${f.sha256}/${f.name}`) || stagedFilePresent(workdir, f)) continue;
      seen.add(`${f.sha256}/${f.name}`);
      const source = local.get(f.sha256);
      if (!source) throw new Error(`no local file for ${f.name} (${f.sha256})`);
      await copyFileByHash(source, workdir, f, onProgress);
      copied++;
      bytes += f.size;
    }
  }
  return { copied, bytes };
}

/** Copies one file to `<workdir>/datasets/<sha256>/<name>` (temporary name, hash checked, renamed into place). */
export async function copyFileByHash(source: string, workdir: string, f: StagedFile, onProgress?: CopyProgress): Promise<void> {
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
    if (st.size !== size || hash.digest('hex') !== f.sha256) throw new Error(`${source} changed since it was planned (${st.size} bytes now, ${size} planned): plan the run again`);
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
