import type { z } from 'zod';
import { CategorySchema, type Category } from './category';
import { ClusterSchema, type Cluster } from './cluster';
import { DatasetSchema, type Dataset } from './dataset';
import { ModelSchema, type Model } from './model';
import { PresetSchema, type Preset } from './preset';

export const CATALOG_DIR = '.evalbench';

export const CATALOG_KINDS = ['models', 'datasets', 'categories', 'presets', 'clusters'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

export const CATALOG_SCHEMAS: { [K in CatalogKind]: z.ZodType } = {
  models: ModelSchema,
  datasets: DatasetSchema,
  categories: CategorySchema,
  presets: PresetSchema,
  clusters: ClusterSchema,
};

export function catalogFileName(kind: CatalogKind): string {
  return `${kind}.jsonc`;
}

export interface Catalog {
  models: Record<string, Model>;
  datasets: Record<string, Dataset>;
  categories: Record<string, Category>;
  presets: Record<string, Preset>;
  clusters: Record<string, Cluster>;
}

export function emptyCatalog(): Catalog {
  return { models: {}, datasets: {}, categories: {}, presets: {}, clusters: {} };
}
