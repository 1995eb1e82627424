import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { combineGame, pairMatches, summarizeGames, type PairGame } from '../../../../remote-agent/judge/pairwise';

const sample: Sample = {
  id: 's',
  index: 0,
  prompt: [{ role: 'user', content: 'Q1' }],
  followUps: ['Q2'],
  reference: '',
  referenceOutput: '',
  meta: { kind: 'mt_bench', turns: ['Q1', 'Q2'], category: 'writing', reference: [] },
};
const a = { output: 'a2', details: { turns: ['a1', 'a2'] } };
const b = { output: 'b2', details: { turns: ['b1', 'b2'] } };

describe('pairwise comparison in both orders', () => {
  const [first, second] = pairMatches(sample, a, b);

  it('asks about each turn both answered, once with a as A and once with b as A', () => {
    assert.deepEqual(
      [first!.turn, first!.aFirst.template, second!.aFirst.template],
      [0, 'pair-v2', 'pair-v2-multi-turn'],
    );
    assert.ok((first!.aFirst.messages[1]!.content as string).includes("Assistant A's Answer]\na1\n"));
    assert.ok((first!.bFirst.messages[1]!.content as string).includes("Assistant A's Answer]\nb1\n"));
    assert.equal(pairMatches(sample, a, { output: 'b1', details: undefined }).length, 1);
  });

  it('the same winner in both orders wins; "[[B]]" with b as A means a', () => {
    assert.equal(combineGame(first!, { text: '[[A]]' }, { text: '[[B]]' }).winner, 'a');
    assert.equal(combineGame(first!, { text: '[[B]]' }, { text: '[[A]]' }).winner, 'b');
    assert.equal(combineGame(first!, { text: '[[C]]' }, { text: '[[C]]' }).winner, 'tie');
  });

  it('orders that disagree are a tie (position bias), said as such', () => {
    const g = combineGame(first!, { text: '[[A]]' }, { text: '[[A]]' });
    assert.deepEqual(
      [g.winner, g.verdicts, g.reason],
      ['tie', ['a', 'b'], 'inconsistent: a with a as A, b with b as A'],
    );
  });

  it('an order without a parseable verdict makes the game an error with the reason', () => {
    const g = combineGame(first!, { text: '[[A]]' }, { text: 'A is better' });
    assert.equal(g.winner, 'error');
    assert.match(g.reason!, /^unparseable judgement \(b as A\): no "\[\[A\]\]"/);
    assert.match(
      combineGame(first!, { error: 'HTTP 500' }, { text: '[[A]]' }).reason!,
      /^judge request failed \(a as A\): HTTP 500/,
    );
  });

  it('win rate counts a tie as half and leaves errors out', () => {
    const game = (winner: PairGame['winner'], reason?: string): PairGame => ({
      id: 'x',
      turn: 0,
      template: 'pair-v2',
      winner,
      verdicts: [null, null],
      ...(reason ? { reason } : {}),
    });
    const s = summarizeGames([game('a'), game('a'), game('b'), game('tie', 'inconsistent: …'), game('error')]);
    assert.deepEqual([s.games, s.wins, s.losses, s.ties, s.errors, s.inconsistent], [5, 2, 1, 1, 1, 1]);
    assert.equal(s.winRate, 2.5 / 4);
    assert.ok(s.stderr > 0);
  });
});
