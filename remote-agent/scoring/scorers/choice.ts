import { wrongKind } from '../../datasets/sample-meta';
import type { Sample } from '../../datasets/types';
import { extractChoice } from '../extract/choice';
import type { Judgement } from '../types';

/**
 * Multiple choice. Generative mode extracts a label from the text; log-likelihood mode reads the output as the chosen
 * continuation's 0-based index (or its label), as the request driver writes it after comparing log-probabilities.
 */
export function scoreChoice(sample: Sample, output: string): Judgement {
  const meta = sample.meta;
  if (meta.kind !== 'choice') return wrongKind('choice', meta);
  const { labels, options, answerIndex } = meta;
  const gold = labels[answerIndex] ?? sample.reference;
  let index: number | undefined;
  let rule = 'index';
  const trimmed = output.trim();
  if (meta.mode === 'loglikelihood' && /^\d+$/.test(trimmed)) index = Number(trimmed);
  else {
    const got = extractChoice(output, labels, options);
    index = got?.index;
    rule = got?.rule ?? '';
  }
  if (index === undefined || index < 0 || index >= labels.length)
    return { verdict: 'fail', reason: 'no answer extracted' };
  const label = labels[index]!;
  if (index === answerIndex)
    return { verdict: 'pass', reason: `correct: ${gold}`, extracted: label, details: { rule } };
  return { verdict: 'fail', reason: `wrong answer ${label} != ${gold}`, extracted: label, details: { rule } };
}
