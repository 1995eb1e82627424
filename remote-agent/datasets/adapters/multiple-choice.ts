import { RecordError, recordFields, type FormatAdapter } from './adapter';
import { adaptChoiceItem, LETTERS, type ChoiceItem } from './choice-common';
import type { RawRecord } from '../read-records';

/**
 * Multiple choice: ARC JSONL (question.stem, question.choices[{text,label}], answerKey; numeric labels 1–4 become A–D),
 * MMLU CSV (question, four choices, answer letter; with a `question,choice0..3,answer` header the answer is an index),
 * and plain {question, choices: [...], answer} records.
 */
export const multipleChoiceAdapter: FormatAdapter = {
  adapt(record, { chat, dataset }) {
    return adaptChoiceItem(normalise(record), chat, dataset, recordFields(record.value));
  },
  defaultStop: (chat, dataset) => (chat || dataset.mode === 'loglikelihood' ? undefined : ['\n']),
  exampleSeparator: '\n\n',
};

function normalise({ value, cells }: RawRecord): ChoiceItem {
  let question: string | undefined;
  let options: string[] | undefined;
  let labels: string[] | undefined;
  let answer: unknown;
  const q = value.question;
  if (q && typeof q === 'object' && !Array.isArray(q)) {
    const stem = (q as Record<string, unknown>).stem;
    const choices = (q as Record<string, unknown>).choices;
    if (typeof stem === 'string') question = stem;
    if (Array.isArray(choices)) ({ options, labels } = fromChoiceObjects(choices));
  } else if (typeof q === 'string') question = q;
  if (!options && Array.isArray(value.choices)) ({ options, labels } = fromChoiceObjects(value.choices));
  // MedQA: options {A: …, B: …} (or a list) with the gold letter in answer_idx ("answer" holds the option's text).
  if (!options && Array.isArray(value.options)) ({ options, labels } = fromChoiceObjects(value.options));
  if (!options && value.options && typeof value.options === 'object')
    ({ options, labels } = fromLetterMap(value.options as Record<string, unknown>));
  if (!options && value.choices && typeof value.choices === 'object') {
    const c = value.choices as Record<string, unknown>;
    if (Array.isArray(c.text) && Array.isArray(c.label))
      ({ options, labels } = fromChoiceObjects(c.text.map((t, i) => ({ text: t, label: (c.label as unknown[])[i] }))));
  }
  if (!options) {
    const columns = ['choice0', 'choice1', 'choice2', 'choice3'].every((k) => typeof value[k] === 'string')
      ? ['choice0', 'choice1', 'choice2', 'choice3']
      : ['A', 'B', 'C', 'D'].every((k) => typeof value[k] === 'string')
        ? ['A', 'B', 'C', 'D']
        : undefined;
    if (columns) options = columns.map((k) => String(value[k]));
  }
  if (!options && cells && !question && cells.length === 6) {
    // hendrycks MMLU CSV without a header: question, A, B, C, D, answer letter
    [question, ...options] = cells.slice(0, 5);
    answer = cells[5];
  }
  answer ??= value.answerKey ?? value.answer_idx ?? value.answer ?? value.label ?? value.gold;
  if (question === undefined) throw new RecordError('missing field "question"');
  if (!options || options.length < 2)
    throw new RecordError('missing choices: expected question.choices, choices, choice0..3 or A..D');
  const answerIndex = resolveAnswer(answer, labels, options.length);
  return {
    question,
    options,
    answerIndex,
    loglikelihood: { context: `Question: ${question}\nAnswer:`, continuations: options.map((o) => ` ${o}`) },
  };
}

function fromChoiceObjects(choices: unknown[]): { options: string[]; labels: string[] } {
  const options: string[] = [];
  const labels: string[] = [];
  choices.forEach((c, i) => {
    if (typeof c === 'string') {
      options.push(c);
      labels.push(LETTERS[i]!);
    } else if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      options.push(String(o.text ?? ''));
      labels.push(String(o.label ?? LETTERS[i]));
    }
  });
  return { options, labels };
}

function fromLetterMap(map: Record<string, unknown>): { options: string[]; labels: string[] } {
  const entries = Object.entries(map).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
  return { options: entries.map(([, v]) => String(v)), labels: entries.map(([k]) => k) };
}

/** The gold option's index from a label ("C", "3" among labels 1–4), a letter, or a 0-based index. */
export function resolveAnswer(answer: unknown, labels: string[] | undefined, count: number): number {
  const s = typeof answer === 'number' ? String(answer) : typeof answer === 'string' ? answer.trim() : '';
  if (s === '') throw new RecordError('missing answer (answerKey, answer or label)');
  if (labels) {
    const i = labels.indexOf(s);
    if (i >= 0) return i;
  }
  const letter = LETTERS.indexOf(s.toUpperCase());
  if (s.length === 1 && letter >= 0 && letter < count) return letter;
  if (/^\d+$/.test(s) && Number(s) < count) return Number(s);
  throw new RecordError(`answer "${s}" is not one of the ${count} choices`);
}
