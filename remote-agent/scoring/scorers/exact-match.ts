import type { Sample } from '../../datasets/types';
import { stripThinking } from '../extract/text';
import type { Judgement } from '../types';

/** Case, surrounding whitespace and quotes, inner runs of spaces and a final full stop do not count. */
export function normaliseAnswer(s: string): string {
  return s
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[.。]$/, '')
    .trim()
    .toLowerCase();
}

export function scoreExactMatch(sample: Sample, output: string): Judgement {
  const got = normaliseAnswer(stripThinking(output));
  const gold = normaliseAnswer(sample.reference);
  if (!got) return { verdict: 'fail', reason: 'no answer extracted' };
  if (got === gold) return { verdict: 'pass', reason: 'exact match', extracted: got };
  const show = (s: string): string => JSON.stringify(s.length > 40 ? s.slice(0, 37) + '...' : s);
  return { verdict: 'fail', reason: `wrong answer ${show(got)} != ${show(gold)}`, extracted: got };
}
