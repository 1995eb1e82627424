import { z } from 'zod';
import { CatalogId } from './ids';

export const CategorySchema = z.strictObject({
  description: z.string().optional(),
  models: z
    .array(CatalogId)
    .min(1, 'a category needs at least one model')
    .describe('Model ids (keys of models.jsonc).'),
  datasets: z
    .array(CatalogId)
    .min(1, 'a category needs at least one dataset')
    .describe('Dataset ids (keys of datasets.jsonc).'),
  preset: CatalogId.optional().describe('Default preset for this category.'),
});
export type Category = z.infer<typeof CategorySchema>;
