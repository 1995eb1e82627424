import { z } from 'zod';

/** What an adapter of a model is called in the catalog: its column is "<model>:<name>". */
export const ADAPTER_NAME = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'an adapter name is letters, digits, "_", "." and "-" (it is the "model" of every request)',
  )
  .max(100);
