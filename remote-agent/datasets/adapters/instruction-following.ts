import { RecordError, recordFields, requireString, type FormatAdapter } from './adapter';

/** IFEval (key, prompt, instruction_id_list, kwargs). A `response` field, when present, is the self-check's reference. */
export const instructionFollowingAdapter: FormatAdapter = {
  adapt({ value }) {
    const prompt = requireString(value, 'prompt');
    const ids = value.instruction_id_list;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string'))
      throw new RecordError('field "instruction_id_list" must be a list of instruction ids');
    const kwargs = Array.isArray(value.kwargs) ? value.kwargs : ids.map(() => ({}));
    if (kwargs.length !== ids.length)
      throw new RecordError(`"kwargs" has ${kwargs.length} entries for ${ids.length} instructions`);
    const response = typeof value.response === 'string' ? value.response : '';
    return {
      fields: recordFields(value),
      prompt,
      exampleAnswer: response,
      reference: ids.join(', '),
      referenceOutput: response,
      meta: { kind: 'instruction_following', prompt, instructions: ids, kwargs, hasReference: response !== '' },
    };
  },
};
