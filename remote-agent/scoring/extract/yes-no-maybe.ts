import type { YesNoMaybe } from '../../datasets/sample-meta';
import { stripThinking } from './text';

export interface ExtractedDecision {
  answer?: YesNoMaybe;
  rule?: string;
  /** Set when the answer names more than one of yes/no/maybe and no rule decides. */
  ambiguous?: YesNoMaybe[];
}

const WORD = /\b(yes|no|maybe)\b/g;

/**
 * The yes/no/maybe decision of an answer, by the first rule that finds one: an explicit phrase ("Answer: yes", "the
 * answer is no", "final decision: maybe", BioGPT's "the answer to the question given the context is yes"; the last
 * such phrase wins), the answer's first word, then a short first line naming exactly one of the three.
 */
export function extractYesNoMaybe(output: string): ExtractedDecision {
  // An echoed "(yes, no or maybe)" from the prompt, even cut short ("(yes, no"), or "yes/no/maybe" decides nothing.
  const text = stripThinking(output)
    .replace(/[*_`]/g, '')
    .toLowerCase()
    .replace(/\(\s*yes\s*[,/]\s*no\b[^)\n]*\)?|\byes\s*\/\s*no(?:\s*\/\s*maybe)?\b/g, ' ')
    .trim();
  if (!text) return {};
  let last: RegExpMatchArray | undefined;
  const phrase =
    /\b(?:answer(?:\s+to\s+the\s+question(?:\s+given\s+the\s+context)?)?|final\s+decision|decision|conclusion|verdict)\s*(?:is|:|=|-)?\s*(?:therefore\s+|clearly\s+|probably\s+)?["'([]?\s*(yes|no|maybe)\b/g;
  for (const m of text.matchAll(phrase)) last = m;
  if (last) return { answer: last[1] as YesNoMaybe, rule: 'answer is' };
  const first = /^["'([]?\s*(yes|no|maybe)\b/.exec(text);
  if (first) return { answer: first[1] as YesNoMaybe, rule: 'first word' };
  const line = text.split('\n')[0]!;
  if (line.split(/\s+/).length <= 8) {
    const named = [...new Set([...line.matchAll(WORD)].map((m) => m[1] as YesNoMaybe))];
    if (named.length === 1) return { answer: named[0], rule: 'short answer' };
    if (named.length > 1) return { ambiguous: named };
  }
  return {};
}
