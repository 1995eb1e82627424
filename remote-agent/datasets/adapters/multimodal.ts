import { RecordError, recordFields, requireString, type FormatAdapter } from './adapter';
import { adaptChoiceItem, LETTERS } from './choice-common';
import { resolveAnswer } from './multiple-choice';

/**
 * Questions about images: {id, image | images, question, choices?, answer}. An image is a path relative to the data
 * file, base64, a data URL, or the Hub's Image feature {bytes, path}; the loader sends it to the model as an image_url
 * content part. With `choices` (a list, or {A: …, B: …}) the record is multiple choice (scorer "choice", the default);
 * without, `answer` is a short free-form answer (set the dataset's scorer to "exact_match").
 */
export const multimodalAdapter: FormatAdapter = {
  adapt({ value }, { chat, dataset }) {
    const images = imagesOf(value);
    if (images.length === 0) throw new RecordError('missing field "image" (or "images")');
    const question = requireString(value, 'question', 'prompt');
    const choices = choicesOf(value.choices ?? value.options);
    if (choices) {
      if (dataset.mode === 'loglikelihood')
        throw new RecordError(
          'questions with images are answered generatively: set the dataset\'s "mode" to "generative"',
        );
      const answerIndex = resolveAnswer(
        value.answer ?? value.answerKey ?? value.label,
        choices.labels,
        choices.options.length,
      );
      const item = {
        question,
        options: choices.options,
        answerIndex,
        loglikelihood: { context: question, continuations: choices.options },
      };
      return { ...adaptChoiceItem(item, chat, dataset, recordFields(value)), images };
    }
    const answer = requireString(value, 'answer');
    return {
      fields: recordFields(value),
      prompt: chat ? `${question}\n\nAnswer with a single word or phrase.` : `Question: ${question}\nAnswer:`,
      exampleAnswer: chat ? answer : ` ${answer}`,
      reference: answer,
      referenceOutput: chat ? answer : ` ${answer}`,
      meta: { kind: 'multimodal', answer },
      images,
    };
  },
  defaultStop: (chat) => (chat ? undefined : ['\n']),
};

/** The image references of a multimodal record (`images`, else `image` / `image_path` / `image_base64`). */
export function imagesOf(value: Record<string, unknown>): unknown[] {
  const many = value.images;
  if (Array.isArray(many)) return many.filter((x) => x !== null && x !== undefined);
  const one = value.image ?? value.image_path ?? value.image_base64;
  return one === undefined || one === null ? [] : [one];
}

function choicesOf(raw: unknown): { options: string[]; labels: string[] } | undefined {
  if (Array.isArray(raw) && raw.length >= 2)
    return { options: raw.map(String), labels: raw.map((_, i) => LETTERS[i]!) };
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const entries = Object.entries(raw as Record<string, unknown>).filter(([, v]) => typeof v === 'string');
    if (entries.length >= 2) return { options: entries.map(([, v]) => v as string), labels: entries.map(([k]) => k) };
  }
  return undefined;
}
