import { RecordError, recordFields, type FormatAdapter } from './adapter';

/** MT-Bench (question_id, category, turns, reference?): the first turn is the prompt, the rest are follow-ups. */
export const mtBenchAdapter: FormatAdapter = {
  adapt({ value }) {
    const turns = value.turns;
    if (!Array.isArray(turns) || !turns.length || !turns.every((t) => typeof t === 'string'))
      throw new RecordError('field "turns" must be a non-empty list of strings');
    const reference = Array.isArray(value.reference)
      ? value.reference.filter((r): r is string => typeof r === 'string')
      : [];
    return {
      fields: { ...recordFields(value), turn1: turns[0]! },
      prompt: turns[0]!,
      followUps: turns.slice(1),
      exampleAnswer: reference[0] ?? '',
      reference: reference.join('\n\n'),
      referenceOutput: '',
      meta: { kind: 'mt_bench', category: value.category, turns, reference },
    };
  },
};
