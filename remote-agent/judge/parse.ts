/** Reading a judge's answer: a 1–10 rating in "[[n]]", or a pairwise verdict "[[A]]" / "[[B]]" / "[[C]]". Strict: no guessing. */

export const RATING_MIN = 1;
export const RATING_MAX = 10;

export type RatingParse = { ok: true; rating: number } | { ok: false; reason: string };
export type PairWinner = 'A' | 'B' | 'tie';
export type PairParse = { ok: true; winner: PairWinner } | { ok: false; reason: string };

/**
 * The answer without reasoning blocks (`<think>…</think>`, which may weigh ratings before settling on one); an
 * unterminated block runs to the end, so a judge cut off while thinking has given no verdict.
 */
export function withoutThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?(<\/think>|$)/g, '');
}

/** The end of what the judge said, on one line, for a reason a person can read. */
function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '(empty answer)';
  return JSON.stringify(flat.length > max ? `…${flat.slice(-max)}` : flat);
}

/**
 * The rating in MT-Bench's "[[rating]]" format ("Rating: [[7]]"). As MT-Bench's own parser, a decimal ("[[7.5]]") is a
 * rating; unlike it, nothing else is: no bare "Rating: 8", no single brackets, no rating outside 1–10, and two
 * different ratings in one answer are ambiguous. A repeated identical rating is one rating. `[[rating]]` echoed from
 * the instructions (not a number) is ignored.
 */
export function parseRating(text: string): RatingParse {
  const answer = withoutThinking(text);
  const values = new Set<number>();
  for (const m of answer.matchAll(/\[\[\s*([^[\]]*?)\s*\]\]/g)) {
    if (/^\d+(?:\.\d+)?$/.test(m[1]!)) values.add(Number(m[1]));
  }
  if (values.size === 0) return { ok: false, reason: `no "[[rating]]" in the judge's answer ${excerpt(answer)}` };
  if (values.size > 1)
    return {
      ok: false,
      reason: `${values.size} different ratings (${[...values].map((v) => `[[${v}]]`).join(', ')}) in the judge's answer`,
    };
  const rating = [...values][0]!;
  if (rating < RATING_MIN || rating > RATING_MAX)
    return { ok: false, reason: `rating [[${rating}]] is outside the ${RATING_MIN}–${RATING_MAX} scale` };
  return { ok: true, rating };
}

/** MT-Bench's pairwise verdict: exactly one of "[[A]]", "[[B]]", "[[C]]" (a tie); none, or two different, is unparseable. */
export function parsePairVerdict(text: string): PairParse {
  const answer = withoutThinking(text);
  const seen = new Set<string>();
  for (const m of answer.matchAll(/\[\[\s*([ABC])\s*\]\]/g)) seen.add(m[1]!);
  if (seen.size === 0)
    return { ok: false, reason: `no "[[A]]", "[[B]]" or "[[C]]" in the judge's answer ${excerpt(answer)}` };
  if (seen.size > 1)
    return {
      ok: false,
      reason: `several verdicts (${[...seen]
        .sort()
        .map((v) => `[[${v}]]`)
        .join(', ')}) in the judge's answer`,
    };
  const v = [...seen][0]!;
  return { ok: true, winner: v === 'C' ? 'tie' : (v as 'A' | 'B') };
}
