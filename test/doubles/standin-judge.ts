/**
 * The stand-in as a judge model: a prompt built from MT-Bench's judge templates gets a deterministic verdict.
 * The quality of an answer is the number in its last "[quality N]" marker (a fixture puts it in the model's answers),
 * else 1 + a hash of the answer modulo 10. Single grading answers "Rating: [[N]]"; pairwise compares the two
 * qualities ("[[A]]", "[[B]]", "[[C]]" when equal).
 */

export interface JudgeBehaviour {
  /** An answer containing this text gets a judgement without any verdict in it (the unparseable case). */
  judgeGarbage?: string;
  /** Pairwise: always "[[A]]", whatever the answers (a position-biased judge). */
  judgePreferFirst?: boolean;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function qualityOf(answer: string): number {
  const marks = [...answer.matchAll(/\[quality (\d+(?:\.\d+)?)\]/g)];
  const last = marks[marks.length - 1];
  return last ? Number(last[1]) : 1 + (hash(answer.trim()) % 10);
}

function between(text: string, start: string, end: string): string | undefined {
  const a = text.lastIndexOf(start);
  if (a < 0) return undefined;
  const b = text.indexOf(end, a + start.length);
  return b < 0 ? undefined : text.slice(a + start.length, b);
}

/** The graded answer of assistant `who` ('' for single grading): the last turn of its conversation, or its answer block. */
function answerOf(prompt: string, who: '' | 'A' | 'B'): string | undefined {
  const name = who ? `Assistant ${who}` : 'Assistant';
  const block = between(prompt, `[The Start of ${name}'s Answer]\n`, `\n[The End of ${name}'s Answer]`);
  if (block !== undefined) return block;
  const speaker = who || 'A';
  const conversation = between(
    prompt,
    `<|The Start of Assistant ${speaker}'s Conversation with User|>`,
    `<|The End of Assistant ${speaker}'s Conversation with User|>`,
  );
  if (conversation === undefined) return undefined;
  const turns = conversation.split(`### Assistant ${speaker}:\n`);
  return turns[turns.length - 1]!.replace(/\n\n$/, '');
}

/** The judge's answer when `prompt` (every message of the request) is a judge prompt; undefined otherwise. */
export function judgeReply(prompt: string, behaviour: JudgeBehaviour): string | undefined {
  if (!prompt.includes('Please act as an impartial judge')) return undefined;
  const garbage = (answer: string | undefined): boolean =>
    behaviour.judgeGarbage !== undefined && (answer ?? '').includes(behaviour.judgeGarbage);
  if (/Assistant B's (Answer|Conversation)/.test(prompt)) {
    const a = answerOf(prompt, 'A');
    const b = answerOf(prompt, 'B');
    if (garbage(a) || garbage(b)) return 'Both assistants did their best; it is hard to say.';
    if (behaviour.judgePreferFirst) return 'Assistant A answers first, so it is better. [[A]]';
    const qa = qualityOf(a ?? '');
    const qb = qualityOf(b ?? '');
    return `Comparing the two answers. Final verdict: ${qa > qb ? '[[A]]' : qb > qa ? '[[B]]' : '[[C]]'}`;
  }
  const answer = answerOf(prompt, '');
  if (garbage(answer)) return 'The response is quite good overall, I would rate it highly.';
  return `The response is adequate. Rating: [[${qualityOf(answer ?? '')}]]`;
}
