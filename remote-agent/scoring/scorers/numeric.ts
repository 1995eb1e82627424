import { metaAnswer } from '../../datasets/sample-meta';
import type { Sample } from '../../datasets/types';
import { extractNumber, formatNumber, numbersEqual, parseNumber } from '../extract/number';
import type { Judgement } from '../types';

/** GSM8K and other numeric answers: the extracted final number against the reference, numerically. */
export function scoreNumeric(sample: Sample, output: string): Judgement {
  const gold = parseNumber(metaAnswer(sample.meta) ?? sample.reference);
  if (gold === undefined)
    return { verdict: 'error', reason: `reference is not a number: ${JSON.stringify(sample.reference)}` };
  const got = extractNumber(output);
  if (!got) return { verdict: 'fail', reason: 'no answer extracted' };
  const details = { rule: got.rule, written: got.text };
  if (numbersEqual(got.value, gold))
    return { verdict: 'pass', reason: `correct: ${formatNumber(gold)}`, extracted: formatNumber(got.value), details };
  return {
    verdict: 'fail',
    reason: `wrong answer ${formatNumber(got.value)} != ${formatNumber(gold)}`,
    extracted: formatNumber(got.value),
    details,
  };
}
