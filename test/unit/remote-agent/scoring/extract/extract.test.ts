import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractChoice } from '../../../../../remote-agent/scoring/extract/choice';
import { assembleHumanEval, extractCode, stripMbppMarkers } from '../../../../../remote-agent/scoring/extract/code';
import { extractJson } from '../../../../../remote-agent/scoring/extract/json';
import { extractNumber } from '../../../../../remote-agent/scoring/extract/number';

const PROMPT =
  'from typing import List\n\n\ndef helper(x):\n    return x\n\n\ndef total(xs: List[int]) -> int:\n    """Sum."""\n';

describe('code extraction', () => {
  it('takes the fenced block that defines the entry point, not the usage example before it', () => {
    const out =
      'Usage:\n```python\nprint(total([1]))\n```\nImplementation:\n```python\ndef total(xs):\n    return sum(xs)\n```\nDone.';
    assert.deepEqual(extractCode(out, 'total'), { code: 'def total(xs):\n    return sum(xs)', source: 'fenced' });
  });

  it('reads an unterminated fence (a cut-off answer) and ~~~ fences', () => {
    assert.equal(extractCode('```py\ndef total(xs):\n    return 1\n', 'total')!.code, 'def total(xs):\n    return 1\n');
    assert.equal(extractCode('~~~\nx = 1\n~~~', 'total')!.code, 'x = 1');
  });

  it('drops prose before bare code, keeps bare completions as they are, ignores <think> blocks', () => {
    assert.equal(
      extractCode('Here is the function:\ndef total(xs):\n    return sum(xs)', 'total')!.code,
      'def total(xs):\n    return sum(xs)',
    );
    assert.equal(extractCode('    return sum(xs)\n', 'total')!.code, '    return sum(xs)\n');
    assert.equal(
      extractCode('<think>maybe ```python\nbad\n```</think>```python\ndef total(xs): return 0\n```', 'total')!.code,
      'def total(xs): return 0',
    );
    assert.equal(extractCode('   \n', 'total'), undefined);
  });

  it("re-attaches a completion or a dedented body to the prompt; a whole function replaces the stub but keeps the prompt's imports and helpers", () => {
    assert.equal(assembleHumanEval(PROMPT, 'total', '    return sum(xs)\n'), PROMPT + '    return sum(xs)\n');
    assert.equal(assembleHumanEval(PROMPT, 'total', 'return sum(xs)\n'), PROMPT + '    return sum(xs)\n');
    const whole = assembleHumanEval(PROMPT, 'total', 'def total(xs):\n    return helper(sum(xs))\n');
    assert.equal(
      whole,
      'from typing import List\n\n\ndef helper(x):\n    return x\n\n\ndef total(xs):\n    return helper(sum(xs))\n',
    );
  });

  it("strips MBPP's [BEGIN]/[DONE] markers", () => {
    assert.equal(stripMbppMarkers('[BEGIN]\ndef f(): pass\n[DONE]\nmore text'), 'def f(): pass\n');
  });
});

describe('number extraction', () => {
  const cases: Array<[string, number | undefined, string?]> = [
    ['She makes 9 * 2 = $<<9*2=18>>18 a day.\n#### 18', 18, '####'],
    ['#### 1,234', 1234, '####'],
    ['So the total is \\boxed{42}.', 42, 'boxed'],
    ['\\boxed{\\$1{,}250.50}', 1250.5, 'boxed'],
    ['\\boxed{\\frac{3}{4}}', 0.75, 'boxed'],
    ['The answer is $1,250.', 1250, 'answer is'],
    ['The answer is: -7 degrees', -7, 'answer is'],
    ['Final Answer: **3.50**', 3.5, 'answer is'],
    ['It drops 16-3 = 13, then 13 - 4 = 9', 9, 'last number'],
    ['A: 18', 18, 'last number'],
    ['The temperature is −5 now', -5, 'last number'],
    ['Nothing numeric here.', undefined],
  ];
  for (const [text, value, rule] of cases) {
    it(`${JSON.stringify(text)} → ${value}`, () => {
      const got = extractNumber(text);
      assert.equal(got?.value, value);
      if (rule) assert.equal(got?.rule, rule);
    });
  }
});

describe('choice extraction', () => {
  const labels = ['A', 'B', 'C', 'D'];
  const options = ['Paris', 'London', 'Berlin', 'Madrid'];
  const cases: Array<[string, string | undefined]> = [
    ['Answer: (C)', 'C'],
    ['C.', 'C'],
    [' B', 'B'],
    ['(d)', 'D'],
    ['the answer is C', 'C'],
    ['I think A looks tempting, but the answer is (B) because…', 'B'],
    ['C. Berlin is the capital of Germany', 'C'],
    ['The correct option is D.', 'D'],
    ['\\boxed{A}', 'A'],
    ['It is Madrid, obviously.', 'D'],
    ['The answer is a difficult one.', undefined],
    ['E', undefined],
    ['I do not know.', undefined],
    ['<think>Answer: A? no.</think>Answer: B', 'B'],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${want}`, () => assert.equal(extractChoice(text, labels, options)?.label, want));
  }
});

describe('JSON extraction', () => {
  it('fenced, bare, and embedded in prose (brackets inside strings do not confuse it)', () => {
    assert.deepEqual(extractJson('```json\n{"a": 1}\n```')?.value, { a: 1 });
    assert.deepEqual(extractJson('  [1, 2]  ')?.value, [1, 2]);
    assert.deepEqual(extractJson('Sure! {"name": "f", "arguments": {"s": "a}b"}} hope it helps')?.value, {
      name: 'f',
      arguments: { s: 'a}b' },
    });
    assert.equal(extractJson('no json {here'), undefined);
  });
});
