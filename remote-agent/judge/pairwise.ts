import type { Prediction } from '../../common/run/records';
import type { Sample } from '../datasets/types';
import { meanStderr } from '../scoring/metrics';
import type { TurnReply } from './grade';
import { parsePairVerdict } from './parse';
import { answersOf, pairJudgeMessages, questionOf, type JudgeMessages } from './prompts';

/** One comparison of the two models on one turn of one sample, asked in both orders. */
export interface PairMatch {
  id: string;
  /** 0-based turn. */
  turn: number;
  /** Model a's answers as assistant A. */
  aFirst: JudgeMessages;
  /** The same with the answers swapped: model b as assistant A. */
  bFirst: JudgeMessages;
}

export type GameWinner = 'a' | 'b' | 'tie' | 'error';

export interface PairGame {
  id: string;
  turn: number;
  template: string;
  winner: GameWinner;
  /** What each order said, in the models' terms ('a', 'b', 'tie'), or null when it gave no verdict. */
  verdicts: [Exclude<GameWinner, 'error'> | null, Exclude<GameWinner, 'error'> | null];
  /** Why the game is an error, or that the two orders disagreed (an inconsistent judge counts as a tie). */
  reason?: string;
}

export interface PairSummary {
  games: number;
  wins: number;
  losses: number;
  ties: number;
  errors: number;
  /** Ties that come from the two orders disagreeing (position bias). */
  inconsistent: number;
  /** Model a's win rate over model b, a tie counting half, over games with a verdict. */
  winRate: number;
  stderr: number;
}

/** The games of a sample: every turn both models answered, each to be judged in both orders. */
export function pairMatches(
  sample: Sample,
  a: Pick<Prediction, 'output' | 'details'>,
  b: Pick<Prediction, 'output' | 'details'>,
): PairMatch[] {
  const q = questionOf(sample);
  const answersA = answersOf(a);
  const answersB = answersOf(b);
  const turns = Math.min(q.questions.length, answersA.length, answersB.length);
  return Array.from({ length: turns }, (_, turn) => ({
    id: sample.id,
    turn,
    aFirst: pairJudgeMessages(q, answersA, answersB, turn),
    bFirst: pairJudgeMessages(q, answersB, answersA, turn),
  }));
}

function verdictOf(
  reply: TurnReply,
  firstIs: 'a' | 'b',
  order: string,
): { winner: Exclude<GameWinner, 'error'> } | { error: string } {
  if (reply.error !== undefined || reply.text === undefined)
    return { error: `judge request failed (${order}): ${reply.error ?? 'no answer'}` };
  const parsed = parsePairVerdict(reply.text);
  if (!parsed.ok) return { error: `unparseable judgement (${order}): ${parsed.reason}` };
  if (parsed.winner === 'tie') return { winner: 'tie' };
  const second = firstIs === 'a' ? 'b' : 'a';
  return { winner: parsed.winner === 'A' ? firstIs : second };
}

/**
 * A game's outcome from its two orders, as MT-Bench decides it: the same winner both ways wins; a disagreement is a
 * tie (the judge was swayed by position); an order without a parseable verdict makes the game an error.
 */
export function combineGame(m: PairMatch, aFirst: TurnReply, bFirst: TurnReply): PairGame {
  const one = verdictOf(aFirst, 'a', 'a as A');
  const two = verdictOf(bFirst, 'b', 'b as A');
  const verdicts: PairGame['verdicts'] = ['winner' in one ? one.winner : null, 'winner' in two ? two.winner : null];
  const base = { id: m.id, turn: m.turn, template: m.aFirst.template, verdicts };
  if ('error' in one) return { ...base, winner: 'error', reason: one.error };
  if ('error' in two) return { ...base, winner: 'error', reason: two.error };
  if (one.winner === two.winner) return { ...base, winner: one.winner };
  return { ...base, winner: 'tie', reason: `inconsistent: ${one.winner} with a as A, ${two.winner} with b as A` };
}

export function summarizeGames(games: readonly PairGame[]): PairSummary {
  const count = (w: GameWinner): number => games.filter((g) => g.winner === w).length;
  const scores = games
    .filter((g) => g.winner !== 'error')
    .map((g): number => (g.winner === 'a' ? 1 : g.winner === 'tie' ? 0.5 : 0));
  return {
    games: games.length,
    wins: count('a'),
    losses: count('b'),
    ties: count('tie'),
    errors: count('error'),
    inconsistent: games.filter((g) => g.reason?.startsWith('inconsistent')).length,
    winRate: scores.length ? scores.reduce((x, y) => x + y, 0) / scores.length : 0,
    stderr: meanStderr(scores),
  };
}
