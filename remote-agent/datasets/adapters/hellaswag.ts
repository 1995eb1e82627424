import { RecordError, recordFields, requireStringArray, type FormatAdapter } from './adapter';
import { adaptChoiceItem } from './choice-common';

/** HellaSwag (ctx or ctx_a/ctx_b, activity_label, endings, label), preprocessed as lm-evaluation-harness does. */
export const hellaswagAdapter: FormatAdapter = {
  adapt({ value }, { chat, dataset }) {
    const endings = requireStringArray(value, 'endings');
    const label = value.label;
    const answerIndex =
      typeof label === 'number' ? label : typeof label === 'string' && /^\d+$/.test(label.trim()) ? Number(label) : NaN;
    if (!Number.isInteger(answerIndex) || answerIndex < 0 || answerIndex >= endings.length)
      throw new RecordError(`"label" must be an index into endings, got ${JSON.stringify(label)}`);
    const ctxA = typeof value.ctx_a === 'string' ? value.ctx_a : undefined;
    const ctxB = typeof value.ctx_b === 'string' ? value.ctx_b : '';
    const ctx =
      ctxA !== undefined ? `${ctxA} ${capitalize(ctxB)}` : typeof value.ctx === 'string' ? value.ctx : undefined;
    if (ctx === undefined) throw new RecordError('missing field "ctx" (or "ctx_a")');
    const activity = typeof value.activity_label === 'string' ? `${value.activity_label}: ` : '';
    const context = preprocess(activity + ctx);
    const options = endings.map(preprocess);
    return adaptChoiceItem(
      {
        question: `Which ending is the most plausible continuation?\n\n${context} ...`,
        options,
        answerIndex,
        loglikelihood: { context, continuations: options.map((o) => ` ${o}`) },
      },
      chat,
      dataset,
      recordFields(value),
    );
  },
  defaultStop: (chat, dataset) => (chat || dataset.mode === 'loglikelihood' ? undefined : ['\n']),
  exampleSeparator: '\n\n',
};

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** lm-evaluation-harness hellaswag.preprocess: WikiHow's [title]/[header] artefacts out, double spaces collapsed. */
export function preprocess(text: string): string {
  return text
    .trim()
    .replace(/ \[title\]/g, '. ')
    .replace(/\[.*?\]/g, '')
    .replace(/ {2}/g, ' ');
}
