import type { Dataset } from '../../../common/catalog/dataset';
import type { SampleMeta } from '../sample-meta';
import type { AdaptedRecord } from './adapter';

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A multiple-choice item after normalisation: options lettered A, B, …, the gold one by index. */
export interface ChoiceItem {
  /** Text before the options (the question, or HellaSwag's context). */
  question: string;
  options: string[];
  answerIndex: number;
  /** Context and continuations for log-likelihood scoring (lm-evaluation-harness style). */
  loglikelihood: { context: string; continuations: string[] };
}

export function optionLines(options: string[]): string {
  return options.map((o, i) => `${LETTERS[i]}. ${o}`).join('\n');
}

/** Prompt, reference and the `choices` field for both modes. In log-likelihood mode the output is the chosen index. */
export function adaptChoiceItem(
  item: ChoiceItem,
  chat: boolean,
  dataset: Dataset,
  fields: Record<string, string>,
): AdaptedRecord {
  const letter = LETTERS[item.answerIndex]!;
  const labels = item.options.map((_, i) => LETTERS[i]!);
  const meta: SampleMeta = {
    kind: 'choice',
    labels,
    options: item.options,
    answerIndex: item.answerIndex,
    answer: letter,
    mode: dataset.mode,
  };
  const allFields = { ...fields, question: item.question, choices: optionLines(item.options), answer: letter };
  if (dataset.mode === 'loglikelihood') {
    return {
      fields: allFields,
      prompt: item.loglikelihood.context,
      exampleAnswer: item.loglikelihood.continuations[item.answerIndex] ?? '',
      reference: letter,
      referenceOutput: String(item.answerIndex),
      meta,
      choices: item.loglikelihood,
    };
  }
  const body = `${item.question}\n${optionLines(item.options)}`;
  return {
    fields: allFields,
    prompt: chat ? `${body}\n\nAnswer with the letter of the correct option.` : `Question: ${body}\nAnswer:`,
    exampleAnswer: chat ? `Answer: ${letter}` : ` ${letter}`,
    reference: letter,
    referenceOutput: chat ? `Answer: ${letter}` : ` ${letter}`,
    meta,
  };
}
