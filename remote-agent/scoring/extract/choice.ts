import { stripThinking } from './text';

export interface ExtractedChoice {
  /** Index into the options. */
  index: number;
  label: string;
  rule: string;
}

/**
 * The chosen option of a multiple-choice answer, by the first rule that finds a valid label: "Answer: (C)" / "the answer
 * is C" (the last such phrase), a lone label ("C", "(C)", "C."), a label opening the answer ("C. Paris", "B) …"),
 * \boxed{C}, "option C", and finally the full text of exactly one option. Lower-case letters count only when marked
 * off ("(c)", "answer: c") so the article "a" is never read as option A.
 */
export function extractChoice(output: string, labels: string[], options: string[] = []): ExtractedChoice | undefined {
  const text = stripThinking(output).trim();
  const valid = (raw: string | undefined, rule: string, caseInsensitive = false): ExtractedChoice | undefined => {
    if (raw === undefined) return undefined;
    const label = caseInsensitive ? raw.toUpperCase() : raw;
    const index = labels.indexOf(label);
    return index >= 0 ? { index, label, rule } : undefined;
  };
  const lastMatch = (re: RegExp): RegExpMatchArray | undefined => {
    let last: RegExpMatchArray | undefined;
    for (const m of text.matchAll(re)) last = m;
    return last;
  };
  const paren = lastMatch(/(?:answer|choice|option)\s*(?:is|:|=)?\s*(?:\*\*)?\s*(?:option\s*)?[([]([A-Za-z])[)\]]/gi);
  const plain = lastMatch(
    /(?:[Aa]nswer|ANSWER|[Cc]orrect (?:option|choice))\s*(?:is|:|=)\s*(?:\*\*)?\s*(?:[Oo]ption\s*)?([A-Z])(?![\w'])/g,
  );
  const phrase = [paren, plain]
    .filter((m): m is RegExpMatchArray => m !== undefined)
    .sort((a, b) => b.index! - a.index!)[0];
  if (phrase) {
    const hit = valid(phrase[1], 'answer is', phrase === paren);
    if (hit) return hit;
  }
  const lone = /^\**\s*(?:[([]([A-Za-z])[)\]]|([A-Z])[).:]?)\s*\**$/.exec(text);
  if (lone) return valid(lone[1] ?? lone[2], 'lone label', lone[1] !== undefined);
  const opening = /^\**\s*[([]?([A-Z])[)\].:]\s/.exec(text) ?? /^\**\s*\(([a-z])\)\s/.exec(text);
  if (opening) {
    const hit = valid(opening[1], 'opening label', true);
    if (hit) return hit;
  }
  const boxed = lastMatch(/\\boxed\{\s*(?:\\text\{)?\s*([A-Za-z])\s*\}?\s*\}/g);
  if (boxed) {
    const hit = valid(boxed[1], 'boxed', true);
    if (hit) return hit;
  }
  const option = lastMatch(/\b(?:option|choice)\s+\(?([A-Z])\)?(?![\w'])/g);
  if (option) {
    const hit = valid(option[1], 'option label');
    if (hit) return hit;
  }
  const lower = text.toLowerCase();
  const mentioned = options
    .map((o, i) => ({ i, o: o.trim().toLowerCase() }))
    .filter(({ o }) => o.length > 0 && lower.includes(o));
  if (mentioned.length === 1) return { index: mentioned[0]!.i, label: labels[mentioned[0]!.i]!, rule: 'option text' };
  return undefined;
}
