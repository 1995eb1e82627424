import { metaAnswer } from '../../datasets/sample-meta';
import type { Sample } from '../../datasets/types';
import { extractYesNoMaybe } from '../extract/yes-no-maybe';
import type { Judgement } from '../types';

/** PubMedQA: the extracted yes / no / maybe against the gold decision (meta.answer, else the reference). */
export function scoreYesNoMaybe(sample: Sample, output: string): Judgement {
  const gold = (metaAnswer(sample.meta) ?? sample.reference).trim().toLowerCase();
  const got = extractYesNoMaybe(output);
  if (got.ambiguous) return { verdict: 'fail', reason: `ambiguous answer (${got.ambiguous.join(' and ')})` };
  if (!got.answer) return { verdict: 'fail', reason: 'no answer extracted' };
  const details = { rule: got.rule };
  if (got.answer === gold) return { verdict: 'pass', reason: `correct: ${gold}`, extracted: got.answer, details };
  return { verdict: 'fail', reason: `wrong answer "${got.answer}" != "${gold}"`, extracted: got.answer, details };
}
