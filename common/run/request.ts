import { z } from 'zod';
import { CatalogId } from '../catalog/ids';
import { ClusterSchema } from '../catalog/cluster';
import { DatasetSchema } from '../catalog/dataset';
import { ModelSchema } from '../catalog/model';
import { PresetSchema } from '../catalog/preset';
import { DatasetFilesSchema } from './dataset-files';
import { DatasetImageFilesSchema } from './dataset-images';

export const SelectionSchema = z
  .strictObject({
    category: CatalogId.optional(),
    models: z.array(CatalogId).optional(),
    datasets: z.array(CatalogId).optional(),
    excludeModels: z.array(CatalogId).optional(),
  })
  .refine((s) => s.category !== undefined || (s.models?.length ?? 0) > 0 || (s.datasets?.length ?? 0) > 0, {
    message: 'select a category, or models and datasets',
  });
export type Selection = z.infer<typeof SelectionSchema>;

/** Engine replacing every model's own: the built-in reference engine (answers with the references) or a server at a URL. */
export const EngineOverrideSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reference') }),
  z.strictObject({ kind: z.literal('endpoint'), url: z.url(), model: z.string().min(1) }),
]);
export type EngineOverride = z.infer<typeof EngineOverrideSchema>;

/** The run's judge for judged datasets: a catalog model id (its entry travels in `judges`), or a server at a URL. */
export const JudgeSpecSchema = z.union([CatalogId, z.strictObject({ url: z.url(), model: z.string().min(1) })]);
export type JudgeSpec = z.infer<typeof JudgeSpecSchema>;

/** What the extension (or the CLI) sends the agent: self-contained, the cluster needs no copy of the workspace. */
export const RunRequestSchema = z.strictObject({
  name: z.string().max(200).optional(),
  selection: SelectionSchema,
  categoryId: CatalogId.optional(),
  presetId: CatalogId,
  preset: PresetSchema,
  clusterId: CatalogId,
  cluster: ClusterSchema,
  samples: z.number().int().positive().optional(),
  models: z.record(z.string(), ModelSchema),
  datasets: z.record(z.string(), DatasetSchema),
  /** Directory that relative dataset paths resolve against on the agent's machine (default: the cluster work directory). */
  datasetRoot: z.string().optional(),
  /** Workspace files the client uploads into <workdir>/datasets/<sha256>/<name> before submitting (see dataset-files.ts). */
  datasetFiles: DatasetFilesSchema.optional(),
  /** The image files the records of staged data files name, uploaded the same way (see dataset-images.ts). */
  datasetImages: DatasetImageFilesSchema.optional(),
  /** Where the client looked for relative dataset paths (its workspace folder): named in "missing" errors only. */
  workspaceRoot: z.string().optional(),
  engineOverride: EngineOverrideSchema.optional(),
  /** Grades every judged dataset of the run, in place of each dataset's own `judge`. */
  judge: JudgeSpecSchema.optional(),
  /** Catalog entries of the judge models the run may start (the run's and the datasets' judges). */
  judges: z.record(z.string(), ModelSchema).optional(),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;
