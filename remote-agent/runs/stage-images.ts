import * as fs from 'fs';
import * as path from 'path';
import { stagedName, type StagedFile } from '../../common/run/dataset-files';
import {
  MAX_LISTED_IMAGE_PROBLEMS,
  RelativeFilePathSchema,
  type DatasetImages,
  type ImageProblem,
} from '../../common/run/dataset-images';
import { imagesOf } from '../datasets/adapters/multimodal';
import { imageFileReference } from '../datasets/images/file-reference';
import { DatasetError } from '../datasets/errors';
import { readRecords, type RawRecord } from '../datasets/read-records';
import { hashFile } from './hash-file';

/**
 * The image files the records of a workspace data file name, to upload with it (see dataset-images.ts): each
 * relative reference resolved against the data file's folder, hashed once however many records name it. Paths are
 * kept relative to `root` (the workspace, or the data file's folder when the file lies outside it), so the agent's
 * view of the dataset has them where the records look. A reference that is absolute, leaves the root, or names no
 * file is a problem with the record's line: the plan refuses the dataset. Data URLs, inline base64 and http(s) URLs
 * stay in the records as they are.
 */
export async function collectDatasetImages(
  dataFile: string,
  workspace: string,
): Promise<{ images: DatasetImages; local: Map<string, string> }> {
  const dataDir = path.dirname(dataFile);
  const root = isInside(path.resolve(workspace), dataFile) ? path.resolve(workspace) : dataDir;
  const where = root === dataDir ? "the data file's folder" : 'the workspace';
  const images: DatasetImages['images'] = {};
  const local = new Map<string, string>();
  const problems: ImageProblem[] = [];
  const problem = (line: number, image: string, reason: string) =>
    problems.push({ line, image: image.length > 300 ? `${image.slice(0, 300)}…` : image, reason });
  const hashed = new Map<string, StagedFile | 'missing'>();

  for (const record of recordsOf(dataFile)) {
    for (const ref of imagesOf(record.value)) {
      const image = imageFileReference(ref);
      if (image === undefined) continue;
      if (path.isAbsolute(image) || path.win32.isAbsolute(image)) {
        problem(record.line, image, 'an absolute path: only paths relative to the data file travel with it');
        continue;
      }
      const file = path.resolve(dataDir, image);
      if (!isInside(root, file)) {
        problem(record.line, image, `outside ${where} (${file})`);
        continue;
      }
      const rel = path.relative(root, file).split(path.sep).join('/');
      let staged = hashed.get(rel);
      if (staged === undefined) {
        staged = isFile(file) ? { ...(await hashFile(file)), name: stagedName(rel) } : 'missing';
        hashed.set(rel, staged);
      }
      if (staged === 'missing') {
        problem(record.line, image, `missing: ${file}`);
        continue;
      }
      if (!RelativeFilePathSchema.safeParse(rel).success) {
        problem(record.line, image, 'a file name with a backslash or control character cannot travel');
        continue;
      }
      images[rel] = staged;
      local.set(staged.sha256, file);
    }
  }
  // The data file keeps its folder below the root (where its records' relative paths start) and its staged name.
  const dataPath = [...path.relative(root, dataDir).split(path.sep).filter(Boolean), stagedName(dataFile)].join('/');
  if (!RelativeFilePathSchema.safeParse(dataPath).success)
    problems.unshift({
      line: 0,
      image: dataPath,
      reason: "the data file's folder has a name that cannot travel (a backslash or control character)",
    });
  const listed = problems.slice(0, MAX_LISTED_IMAGE_PROBLEMS);
  const more = problems.length - listed.length;
  return {
    images: {
      dataFile: dataPath,
      images,
      ...(listed.length ? { problems: listed } : {}),
      ...(more > 0 ? { moreProblems: more } : {}),
    },
    local,
  };
}

/** The file's records; none when it cannot be read at all (the loader reports that in the job, as for any dataset). */
function recordsOf(dataFile: string): RawRecord[] {
  try {
    return readRecords(dataFile).records;
  } catch (err) {
    if (err instanceof DatasetError) return [];
    throw err;
  }
}

/** `file` is `dir` or below it (after resolving "." and ".."; symbolic links are followed when read). */
function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, path.resolve(file));
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
