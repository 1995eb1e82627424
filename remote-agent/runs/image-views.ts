import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { StagedFile } from '../../common/run/dataset-files';
import { IMAGE_VIEWS_DIR, type DatasetImages } from '../../common/run/dataset-images';
import type { RunRequest } from '../../common/run/request';
import { stagedFilePath } from './staged-file';

/**
 * A dataset uploaded with its images is read through a view: `<workdir>/datasets/with-images/<key>/`, holding the
 * data file and each image at their paths below the client's root, as relative symbolic links to the staged files
 * (relative, so the view survives a work directory mounted elsewhere on the compute nodes). The key is the hash of
 * the manifest (data file and images, by path and content), so a view never changes once made: a run whose data or
 * images differ gets a view of its own, and the images it shares with earlier runs are not sent again.
 */
export function imageViewDir(workdir: string, data: StagedFile, images: DatasetImages): string {
  const manifest = JSON.stringify([
    images.dataFile,
    data.sha256,
    data.name,
    Object.entries(images.images)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([rel, f]) => [rel, f.sha256, f.name]),
  ]);
  return path.join(workdir, ...IMAGE_VIEWS_DIR.split('/'), createHash('sha256').update(manifest).digest('hex'));
}

/** The path the job reads the data file at: inside its view. */
export function imageViewDataPath(workdir: string, data: StagedFile, images: DatasetImages): string {
  return path.join(imageViewDir(workdir, data, images), ...images.dataFile.split('/'));
}

/**
 * Makes the view of each dataset of the request uploaded with its images (its staged files must be there): built
 * under a temporary name and renamed into place, so a job never sees half a view; one already there is kept.
 */
export function ensureImageViews(request: Pick<RunRequest, 'datasetFiles' | 'datasetImages'>, workdir: string): void {
  for (const [id, images] of Object.entries(request.datasetImages ?? {})) {
    const data = request.datasetFiles?.[id]?.path;
    if (data) ensureImageView(workdir, data, images);
  }
}

function ensureImageView(workdir: string, data: StagedFile, images: DatasetImages): void {
  const dir = imageViewDir(workdir, data, images);
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = `${dir}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const link = (rel: string, file: StagedFile) => {
      const at = path.join(tmp, ...rel.split('/'));
      fs.mkdirSync(path.dirname(at), { recursive: true, mode: 0o700 });
      // Relative to where the link will live once renamed: tmp is a sibling of dir, at the same depth.
      const final = path.join(dir, ...rel.split('/'));
      fs.symlinkSync(path.relative(path.dirname(final), stagedFilePath(workdir, file)), at);
    };
    link(images.dataFile, data);
    // A record naming the data file itself as its image gets the data file (and the loader's "not an image").
    for (const [rel, file] of Object.entries(images.images)) if (rel !== images.dataFile) link(rel, file);
    fs.chmodSync(tmp, 0o700);
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      // Another submission made the same view meanwhile: the same manifest, so the same view.
      if (!fs.existsSync(dir)) throw err;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
