import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reasonClass, reasonClassByPatterns, reasonMatches } from '../../../../common/run/reason-class';

const CLASSES: Array<[string, string]> = [
  ['wrong answer 9 != 8', 'wrong answer'],
  ['wrong answer "no" != "yes"', 'wrong answer'],
  ['AssertionError in test 3', 'AssertionError'],
  ["NameError: name 'x' is not defined", 'NameError'],
  ['timeout after 10 s (CPU time)', 'timeout'],
  ['timeout after 30 s (wall clock)', 'timeout'],
  ["SyntaxError line 4: expected ':'", 'SyntaxError'],
  ['no answer extracted', 'no answer extracted'],
  ['no answer extracted (no function call found)', 'no answer extracted'],
  ['killed: memory limit (2048 MB)', 'killed: memory limit'],
  ['killed: memory limit (SIGKILL from the system)', 'killed: memory limit'],
  ['killed: output limit (16 MB)', 'killed: output limit'],
  ['unparseable judgement: turn 2: no "[[rating]]" in the judge\'s answer', 'unparseable judgement'],
  ['unparseable judgement (ab): 2 different verdicts', 'unparseable judgement'],
  ['low rating: 3 of 10 (pass mark 7)', 'low rating'],
  ['blocked by the sandbox: os.fork (in solution line 2)', 'blocked by the sandbox'],
  ['sandbox failure: launcher exited (1) boom', 'sandbox failure'],
  ['wrong value for "h": 4 (accepted: 3)', 'wrong argument value'],
  ['wrong function get_time, expected get_weather', 'wrong function'],
  ['made 2 calls, expected 1', 'wrong number of calls'],
  ['called get_time, get_date although no function fits', 'called a function although none fits'],
  ['missing required argument "city"', 'missing required argument'],
  ['the server answered 500 with a body that is not JSON: <html>', 'the server answered'],
  ['connect ECONNREFUSED 127.0.0.1:8000', 'connect ECONNREFUSED'],
  ['exited with code 1 before the tests finished', 'exited with code'],
  ['not followed: punctuation:no_comma', 'not followed'],
];

describe('reason classes', () => {
  it('names the class of each specific reason', () => {
    for (const [reason, cls] of CLASSES) assert.equal(reasonClass(reason), cls, reason);
  });

  it('a class is its own class, so counts already by class can be classed again', () => {
    for (const [, cls] of CLASSES) assert.equal(reasonClass(cls), cls, cls);
  });

  it('a filter matches by class or by the exact reason, never by another reason of the class', () => {
    assert.ok(reasonMatches('wrong answer 9 != 8', 'wrong answer'));
    assert.ok(reasonMatches('wrong answer 9 != 8', 'wrong answer 9 != 8'));
    assert.ok(!reasonMatches('wrong answer 9 != 8', 'wrong answer 7 != 8'));
    assert.ok(!reasonMatches('no answer extracted', 'wrong answer'));
    assert.ok(!reasonMatches(undefined, 'wrong answer'));
  });

  it('classes every reason as its patterns do, the plain ones it takes a shortcut for included', () => {
    // Pieces that each rule and each step of the cut turns on, and characters the shortcut must leave to the patterns.
    const pieces = [
      'wrong',
      'answer',
      'correct',
      'no',
      ' ',
      ' ',
      '  ',
      ':',
      ': ',
      '(',
      ')',
      '9',
      '-',
      '"',
      "'",
      '$',
      'X',
      'Xy',
      'A_',
      'Error',
      'timeout',
      'tImeout',
      'TIMEOUT',
      'killed: ',
      'made 2 calls, expected 1',
      'called ',
      'called',
      'wrong function',
      'wrong value for ',
      'wrong number of calls',
      'blocked by the sandbox',
      'sandbox failure',
      '\n',
      '\t',
      '\u00a0',
      '\u2028',
      'é',
      '_',
      '!=',
      '#',
      'ValueError',
      'b',
      's',
      'm',
      'k',
      'c',
    ];
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let k = 0; k < 50_000; k++) {
      let reason = '';
      for (let m = next(7); m >= 0; m--) reason += pieces[next(pieces.length)];
      assert.equal(reasonClass(reason), reasonClassByPatterns(reason), JSON.stringify(reason));
    }
    for (const [reason] of CLASSES) assert.equal(reasonClass(reason), reasonClassByPatterns(reason), reason);
  });
});
