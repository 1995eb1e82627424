import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reasonClass } from '../../../../common/run/reason-class';
import type { Verdict } from '../../../../common/run/records';
import { meanStderr, passAtK, proportionStderr } from '../../../../remote-agent/scoring/metrics';
import { ScoreTally } from '../../../../remote-agent/scoring/score-tally';

interface Item {
  verdict?: Verdict;
  reason: string;
  passes?: boolean[];
}

/** The summary as it was computed from the whole list before the tally (the oracle, kept verbatim in spirit). */
function summaryOfList(items: Item[], metric?: string) {
  const n = items.length;
  let passed = 0;
  let failed = 0;
  let errors = 0;
  const reasons: Record<string, number> = {};
  for (const it of items) {
    const verdict = it.verdict ?? 'error';
    if (verdict === 'pass') passed++;
    else {
      if (verdict === 'fail') failed++;
      else errors++;
      const key = reasonClass(it.reason);
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
  }
  if (!items.some((it) => (it.passes?.length ?? 0) > 1)) {
    const value = n ? passed / n : 0;
    return {
      n,
      passed,
      failed,
      errors,
      metric: metric ?? 'accuracy',
      value,
      stderr: proportionStderr(value, n),
      reasons,
    };
  }
  const perProblem = items.map((it) => ({
    n: it.passes?.length ?? 1,
    c: it.passes ? it.passes.filter(Boolean).length : it.verdict === 'pass' ? 1 : 0,
  }));
  const minN = Math.min(...perProblem.map((p) => p.n));
  const passAtKs: Record<string, number> = {};
  for (const k of [1, 5, 10, 20, 50, 100]) {
    if (k > minN) break;
    passAtKs[`pass@${k}`] = perProblem.reduce((a, p) => a + passAtK(p.n, p.c, k), 0) / n;
  }
  const value = passAtKs['pass@1'] ?? 0;
  const stderr = meanStderr(perProblem.map((p) => p.c / p.n));
  return { n, passed, failed, errors, metric: metric ?? 'pass@1', value, stderr, passAtK: passAtKs, reasons };
}

/** The commonest error as it was found from the whole list: classes sorted by count, a tie to the first seen. */
function commonestOfList(items: Item[]): string {
  const byClass = new Map<string, string[]>();
  for (const p of items) {
    if ((p.verdict ?? 'error') !== 'error') continue;
    byClass.set(reasonClass(p.reason), [...(byClass.get(reasonClass(p.reason)) ?? []), p.reason]);
  }
  const top = [...byClass.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  if (!top) return '(0×): unknown';
  const [cls, reasons] = top;
  return reasons.every((r) => r === reasons[0])
    ? `(${reasons.length}×): ${reasons[0]}`
    : `(${reasons.length}×): ${cls}, e.g. ${reasons[0]}`;
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REASONS = [
  'HTTP 500',
  'HTTP 502',
  'timeout after 10 s',
  'wrong answer 1 != 2',
  'no answer extracted',
  'AssertionError in test 3',
  'AssertionError in test 4',
  'ok',
];

function items(seed: number, withPasses: boolean): Item[] {
  const r = random(seed);
  return Array.from({ length: 1 + Math.floor(r() * 60) }, () => {
    const verdict = ([undefined, 'pass', 'fail', 'error', 'error'] as const)[Math.floor(r() * 5)];
    const it: Item = { verdict, reason: REASONS[Math.floor(r() * REASONS.length)]! };
    if (withPasses && r() < 0.8) it.passes = Array.from({ length: 1 + Math.floor(r() * 12) }, () => r() < 0.4);
    return it;
  });
}

describe("the tally of a task's verdicts", () => {
  it('summarises to the last bit what the whole list summarised to, pass@k and the commonest error included', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const list = items(seed, seed % 2 === 0);
      const tally = new ScoreTally();
      for (const it of list) tally.add(it.verdict, it.reason, it.passes);
      assert.deepEqual(tally.summary(), summaryOfList(list), `seed ${seed}`);
      assert.deepEqual(Object.keys(tally.summary().reasons), Object.keys(summaryOfList(list).reasons), `seed ${seed}`);
      assert.equal(tally.commonestError(), commonestOfList(list), `seed ${seed}`);
    }
  });

  it('gives a tie of error classes to the class seen first', () => {
    const tally = new ScoreTally();
    for (const reason of ['HTTP 500', 'timeout after 1 s', 'timeout after 2 s', 'HTTP 502']) tally.add('error', reason);
    assert.equal(tally.commonestError(), '(2×): HTTP, e.g. HTTP 500');
  });

  it('keeps each verdict and its details only when asked (for scorers that aggregate them)', () => {
    const plain = new ScoreTally();
    const kept = new ScoreTally(true);
    for (const t of [plain, kept]) {
      t.add('pass', 'ok', undefined, { rating: 9 });
      t.add(undefined, 'not scored');
    }
    assert.equal(plain.aggregated, undefined);
    assert.deepEqual(kept.aggregated, [
      { verdict: 'pass', details: { rating: 9 } },
      { verdict: undefined, details: undefined },
    ]);
  });
});
