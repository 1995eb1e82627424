import { z } from 'zod';
import { CATALOG_KINDS, CATALOG_SCHEMAS, type CatalogKind } from './files';

/** JSON Schema of one catalog file: an object mapping ids to definitions, for completion and hover while typing. */
export function catalogFileJsonSchema(kind: CatalogKind): Record<string, unknown> {
  const entry = z.toJSONSchema(CATALOG_SCHEMAS[kind], { io: 'input', unrepresentable: 'any', target: 'draft-7' });
  delete (entry as { $schema?: unknown }).$schema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `evalbench ${kind}`,
    description: `evalbench ${kind}: an object mapping each id to its definition.`,
    type: 'object',
    additionalProperties: entry,
    allowTrailingCommas: true,
  };
}

export function allCatalogJsonSchemas(): Record<CatalogKind, Record<string, unknown>> {
  return Object.fromEntries(CATALOG_KINDS.map((k) => [k, catalogFileJsonSchema(k)])) as Record<
    CatalogKind,
    Record<string, unknown>
  >;
}
