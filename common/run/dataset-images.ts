import { z } from 'zod';
import { CatalogId } from '../catalog/ids';
import { StagedFileSchema } from './dataset-files';

/**
 * Image files travel with a dataset whose records name them (format "multimodal", "image"/"images" relative to the
 * data file). Each image is uploaded by content hash exactly like a data file (`<workdir>/datasets/<sha256>/<name>`,
 * once, reused by later runs); the request names them by their path relative to a common root (the client's
 * workspace, or the data file's folder when the file is outside it). Before the jobs start, the agent lays out
 * `<workdir>/datasets/with-images/<hash of this manifest>/`, the root's subset the dataset uses, as symbolic links to
 * the staged files, and the job reads the data file there: each record's relative image path then resolves as it did
 * in the workspace, and the loader, rescoring and reruns read plain files with no map to consult.
 */

/** A '/'-separated path below the root: no empty, "." or ".." segment, no backslash or control character. */
export const RelativeFilePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) =>
      p
        .split('/')
        .every((s) => s !== '' && s !== '.' && s !== '..' && s.length <= 255 && !/[\\\u0000-\u001f\u007f]/.test(s)),
    'a relative path of plain names separated by "/"',
  );

/** A record whose image cannot travel: the record's line in the data file, the reference as written, why. */
export const ImageProblemSchema = z.strictObject({
  line: z.number().int().nonnegative(),
  image: z.string().max(4096),
  reason: z.string().max(4096),
});
export type ImageProblem = z.infer<typeof ImageProblemSchema>;

/** Problems listed in the request (and the plan error); the rest are counted. */
export const MAX_LISTED_IMAGE_PROBLEMS = 20;

export const DatasetImagesSchema = z.strictObject({
  /** The data file's path below the root (its staged copy is the request's `datasetFiles[id].path`). */
  dataFile: RelativeFilePathSchema,
  /** Every image file a record references, by its path below the root; each file once, however many records name it. */
  images: z.record(RelativeFilePathSchema, StagedFileSchema),
  /** Records whose image is missing in the workspace, absolute, or outside it: blocking plan errors. */
  problems: z.array(ImageProblemSchema).max(MAX_LISTED_IMAGE_PROBLEMS).optional(),
  /** Problems beyond those listed. */
  moreProblems: z.number().int().positive().optional(),
});
export type DatasetImages = z.infer<typeof DatasetImagesSchema>;

/** Per dataset id: the images of a dataset whose data file is staged. */
export const DatasetImageFilesSchema = z.record(CatalogId, DatasetImagesSchema);
export type DatasetImageFiles = z.infer<typeof DatasetImageFilesSchema>;

/** Where the image views live, relative to the work directory (beside the staged files, never a hash itself). */
export const IMAGE_VIEWS_DIR = 'datasets/with-images';

/** The blocking plan error for a dataset whose records name images that cannot travel, each with its line. */
export function imageProblemsError(
  dataset: string,
  declared: string,
  images: Pick<DatasetImages, 'problems' | 'moreProblems'>,
): string | undefined {
  const listed = images.problems ?? [];
  if (!listed.length) return undefined;
  const total = listed.length + (images.moreProblems ?? 0);
  const more = images.moreProblems ? `; and ${images.moreProblems} more` : '';
  return `dataset "${dataset}": ${total} image${total === 1 ? '' : 's'} of ${declared} cannot be uploaded: ${listed.map((p) => `line ${p.line}: ${p.image} (${p.reason})`).join('; ')}${more}`;
}
