import { z } from 'zod';

/** Catalog ids become file and job names on the cluster; they stay plain but are still quoted everywhere. */
export const CatalogId = z.string().min(1, 'an id may not be empty').max(128, 'an id is at most 128 characters');

export const HfId = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/, 'a Hugging Face id looks like "owner/name", e.g. "Qwen/Qwen3-8B"');
