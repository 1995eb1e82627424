import { RecordError, recordFields, type FormatAdapter } from './adapter';

/** A user's own records: `fields` names the prompt, reference and id fields. */
export const jsonlAdapter: FormatAdapter = {
  adapt({ value }, { dataset }) {
    const map = dataset.fields;
    if (!map) throw new RecordError('format "jsonl" needs a "fields" mapping');
    const prompt = value[map.prompt];
    if (typeof prompt !== 'string') throw new RecordError(`missing field "${map.prompt}" (the prompt)`);
    const ref = map.reference === undefined ? undefined : value[map.reference];
    if (map.reference !== undefined && ref === undefined)
      throw new RecordError(`missing field "${map.reference}" (the reference)`);
    const reference = ref === undefined ? '' : typeof ref === 'string' ? ref : JSON.stringify(ref);
    return {
      fields: recordFields(value),
      prompt,
      exampleAnswer: reference,
      reference,
      referenceOutput: reference,
      meta: { kind: 'jsonl' },
    };
  },
};
