import * as fs from 'fs';
import * as path from 'path';
import { stagedRelativePath, type StagedFile } from '../../common/run/dataset-files';

/** The file a staged (uploaded by hash) dataset file has on this machine. */
export function stagedFilePath(workdir: string, f: StagedFile): string {
  return path.join(workdir, ...stagedRelativePath(f).split('/'));
}

/** Whether the staged file is there with its size (its name carries the hash it was checked against on upload). */
export function stagedFilePresent(workdir: string, f: StagedFile): boolean {
  try {
    const st = fs.statSync(stagedFilePath(workdir, f));
    return st.isFile() && st.size === f.size;
  } catch {
    return false;
  }
}
