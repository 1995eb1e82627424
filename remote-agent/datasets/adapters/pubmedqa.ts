import { YES_NO_MAYBE, type YesNoMaybe } from '../sample-meta';
import { RecordError, recordFields, type FormatAdapter } from './adapter';

/**
 * PubMedQA: a research question, the abstract's contexts, and `final_decision` yes / no / maybe. Reads the Hub's
 * form (qiaojin/PubMedQA: pubid, question, context.contexts[], final_decision), the original JSON's field names
 * (QUESTION, CONTEXTS[], final_decision) and plain records (question, context as text or list, answer).
 * Base models (BioGPT) get a completion prompt ending in "Answer:"; chat models are asked for one word.
 */
export const pubmedqaAdapter: FormatAdapter = {
  adapt({ value }, { chat }) {
    const question = text(value.question ?? value.QUESTION);
    if (!question) throw new RecordError('missing field "question" (or "QUESTION")');
    const contexts = contextsOf(value);
    const decision = String(value.final_decision ?? value.answer ?? value.label ?? '')
      .trim()
      .toLowerCase();
    if (!isYesNoMaybe(decision))
      throw new RecordError(
        `"final_decision" must be yes, no or maybe, got ${JSON.stringify(value.final_decision ?? value.answer ?? null)}`,
      );
    const context = contexts.join('\n');
    const body = `${context ? `Context: ${context}\n` : ''}Question: ${question}`;
    return {
      fields: { ...recordFields(value), question, context },
      prompt: chat
        ? `${body}\n\nAnswer the question with yes, no or maybe, based on the context.`
        : `${body}\nAnswer (yes, no or maybe):`,
      exampleAnswer: chat ? `Answer: ${decision}` : ` ${decision}`,
      reference: decision,
      referenceOutput: chat ? `Answer: ${decision}` : ` ${decision}`,
      meta: {
        kind: 'yes_no_maybe',
        answer: decision,
        ...(typeof value.long_answer === 'string' ? { longAnswer: value.long_answer } : {}),
      },
    };
  },
  defaultStop: (chat) => (chat ? undefined : ['\n']),
  exampleSeparator: '\n\n',
};

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function contextsOf(value: Record<string, unknown>): string[] {
  const c = value.context ?? value.CONTEXTS ?? value.contexts;
  if (typeof c === 'string') return [c.trim()].filter(Boolean);
  if (Array.isArray(c)) return c.filter((x): x is string => typeof x === 'string').map((x) => x.trim());
  if (c && typeof c === 'object') {
    const inner = (c as Record<string, unknown>).contexts;
    if (Array.isArray(inner)) return inner.filter((x): x is string => typeof x === 'string').map((x) => x.trim());
  }
  return [];
}

function isYesNoMaybe(s: string): s is YesNoMaybe {
  return (YES_NO_MAYBE as readonly string[]).includes(s);
}
