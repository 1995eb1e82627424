import type { Dataset } from '../catalog/dataset';

/**
 * The record's own id (fields.id for "jsonl", else task_id, else id) as a string, else its 0-based position among
 * the file's records: the id the agent gives the sample, and the key of its predictions. The extension maps a
 * dataset file's lines to the same ids.
 */
export function sampleId(
  dataset: Pick<Dataset, 'format' | 'fields'>,
  value: Record<string, unknown>,
  index: number,
): string {
  return ownSampleId(dataset, value) ?? String(index);
}

/** The id a record carries in its own fields, if any (else its id is its position). */
export function ownSampleId(
  dataset: Pick<Dataset, 'format' | 'fields'>,
  value: Record<string, unknown>,
): string | undefined {
  for (const k of idFields(dataset)) {
    const v = value[k];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

/** The record fields an id is read from, first found wins. */
export function idFields(dataset: Pick<Dataset, 'format' | 'fields'>): string[] {
  return dataset.format === 'jsonl' && dataset.fields?.id ? [dataset.fields.id] : ['task_id', 'id'];
}
