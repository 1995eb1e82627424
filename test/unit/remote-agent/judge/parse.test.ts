import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePairVerdict, parseRating } from '../../../../remote-agent/judge/parse';

function rating(text: string): number {
  const r = parseRating(text);
  assert.ok(r.ok, `expected a rating in ${JSON.stringify(text)}, got ${r.ok ? '' : r.reason}`);
  return r.rating;
}

function reason(text: string): string {
  const r = parseRating(text);
  assert.ok(!r.ok, `expected no rating in ${JSON.stringify(text)}, got ${r.ok ? r.rating : ''}`);
  return r.reason;
}

describe('strict rating parsing (MT-Bench "[[rating]]")', () => {
  it('reads "Rating: [[7]]" at the end of an explanation, and the ends of the scale', () => {
    assert.equal(rating('The answer is correct but terse.\n\nRating: [[7]]'), 7);
    assert.equal(rating('Rating: [[10]]'), 10);
    assert.equal(rating('[[1]]'), 1);
    assert.equal(rating('Rating: [[ 8 ]]'), 8);
  });

  it("reads a decimal rating as MT-Bench's own parser does", () => {
    assert.equal(rating('Rating: [[7.5]]'), 7.5);
  });

  it('refuses a bare "Rating: 8", single brackets and an empty answer, saying what it saw', () => {
    assert.match(reason('Rating: 8'), /no "\[\[rating\]\]" in the judge's answer "Rating: 8"/);
    assert.match(reason('I give it [8] out of 10.'), /no "\[\[rating\]\]"/);
    assert.match(reason('   '), /\(empty answer\)/);
  });

  it('refuses two different ratings, but one rating repeated is one rating', () => {
    assert.match(reason('At first [[6]], on reflection Rating: [[8]]'), /2 different ratings \(\[\[6\]\], \[\[8\]\]\)/);
    assert.equal(rating('Rating: [[8]]\n\nFinal: [[8]]'), 8);
  });

  it('refuses ratings outside 1–10 and non-numbers in brackets', () => {
    assert.match(reason('Rating: [[11]]'), /outside the 1–10 scale/);
    assert.match(reason('Rating: [[0]]'), /outside the 1–10 scale/);
    assert.match(reason('Rating: [[7/10]]'), /no "\[\[rating\]\]"/);
    assert.match(reason('Rating: [[-3]]'), /no "\[\[rating\]\]"/);
  });

  it('ignores the format echoed from the instructions and ratings weighed inside <think>', () => {
    assert.equal(rating('Following the format "[[rating]]": Rating: [[6]]'), 6);
    assert.equal(rating('<think>maybe [[4]], or [[9]]?</think>The answer is fine. Rating: [[7]]'), 7);
    assert.match(reason('<think>I lean towards [[7]] but let me check'), /no "\[\[rating\]\]"/);
  });

  it('shows the end of a long unparseable answer, on one line', () => {
    const r = reason(`${'blah '.repeat(100)}\nthe answer deserves a good score`);
    assert.match(r, /"….*the answer deserves a good score"$/);
    assert.ok(r.length < 250);
  });
});

describe('pairwise verdict parsing ("[[A]]", "[[B]]", "[[C]]")', () => {
  it('reads each verdict, [[C]] as a tie', () => {
    assert.deepEqual(parsePairVerdict('Assistant A is more accurate. [[A]]'), { ok: true, winner: 'A' });
    assert.deepEqual(parsePairVerdict('[[B]]'), { ok: true, winner: 'B' });
    assert.deepEqual(parsePairVerdict('Both are equally good: [[C]]'), { ok: true, winner: 'tie' });
  });

  it('refuses none, and two different verdicts (an echoed instruction is not a verdict)', () => {
    const none = parsePairVerdict('Assistant A is better.');
    assert.ok(!none.ok && /no "\[\[A\]\]", "\[\[B\]\]" or "\[\[C\]\]"/.test(none.reason));
    const both = parsePairVerdict('"[[A]]" if assistant A is better, "[[B]]" if assistant B is better. [[A]]');
    assert.ok(!both.ok && /several verdicts \(\[\[A\]\], \[\[B\]\]\)/.test(both.reason));
    assert.deepEqual(parsePairVerdict('[[A]] ... final verdict: [[A]]'), { ok: true, winner: 'A' });
  });
});
