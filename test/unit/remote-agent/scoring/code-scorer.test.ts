import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { createScorer } from '../../../../remote-agent/scoring';

const PROMPT =
  'from typing import List\n\n\ndef _double(x):\n    return 2 * x\n\n\ndef doubled(xs: List[int]) -> List[int]:\n    """Double each number."""\n';
const TEST =
  'def check(candidate):\n    assert candidate([]) == []\n    assert candidate([1]) == [2]\n    for n in range(3):\n        assert candidate([n]) == [2 * n]\n    assert candidate([1, -1]) == [2, -2]\n';
const he: Sample = {
  id: 'H/0',
  index: 0,
  prompt: PROMPT,
  reference: '',
  referenceOutput: '',
  meta: { kind: 'humaneval', prompt: PROMPT, test: TEST, entryPoint: 'doubled' },
};
const mbpp: Sample = {
  id: '11',
  index: 0,
  prompt: '',
  reference: '',
  referenceOutput: '',
  meta: {
    kind: 'mbpp',
    tests: ['assert math.isclose(half(3), 1.5)', 'assert half(0) == 0', 'assert half(-4) == -2'],
    imports: ['import math'],
    setup: '',
    entryPoint: 'half',
  },
};

describe('code-execution scorer', () => {
  const scorer = createScorer(DatasetSchema.parse({ format: 'humaneval', path: 'x' }), { timeoutS: 2 });
  after(() => scorer.close());
  const score = (output: string, s = he) => scorer.score(s, output);

  const passing: Array<[string, string]> = [
    ['a base-model completion (the body after the prompt)', '    return [_double(x) for x in xs]\n'],
    ['a chat body returned without indentation', 'return [_double(x) for x in xs]'],
    [
      "a whole function, bare (the prompt's helper still available)",
      'def doubled(xs):\n    return [_double(x) for x in xs]\n',
    ],
    [
      'a whole function in a fence, after prose',
      'Sure! Here you go:\n\n```python\nfrom typing import List\n\ndef doubled(xs: List[int]) -> List[int]:\n    return [2 * x for x in xs]\n```\n\nThis doubles each element.',
    ],
    [
      'a whole module with its own helper and a __main__ demo',
      '```python\nimport sys\n\ndef twice(v):\n    return v * 2\n\ndef doubled(xs):\n    return list(map(twice, xs))\n\nif __name__ == "__main__":\n    print(doubled([int(a) for a in sys.argv[1:]]), input())\n```',
    ],
    [
      "a reasoning model's answer after </think>",
      '<think>Maybe return xs? No.</think>\n```python\ndef doubled(xs):\n    return [x + x for x in xs]\n```',
    ],
  ];
  for (const [name, output] of passing) {
    it(`passes ${name}`, async () => {
      const j = await score(output);
      assert.equal(j.verdict, 'pass', `${j.reason}\n${j.extracted}`);
      assert.equal(j.reason, 'all tests passed');
    });
  }

  it('names the failing assert (the loop counts as one test), the error and its line', async () => {
    assert.deepEqual(
      await score('    return [2 * x if x != 2 else 0 for x in xs]\n').then((j) => [j.verdict, j.reason]),
      ['fail', 'AssertionError in test 3'],
    );
    assert.equal(
      (await score('    return [x * 2 for x in xs] if xs != [1, -1] else None\n')).reason,
      'AssertionError in test 4',
    );
    assert.equal(
      (await score('    return [undefined_name(x) for x in xs]\n')).reason,
      "NameError in test 2: name 'undefined_name' is not defined",
    );
    assert.equal((await score('def doubled(xs)\n    return xs\n')).reason, "SyntaxError line 8: expected ':'");
    assert.equal((await score('')).reason, 'no answer extracted (empty output)');
    assert.match((await score('    while True:\n        pass\n')).reason, /^timeout after \d+ s/);
  });

  it('a wrong whole function fails even though the prompt defined a stub', async () => {
    assert.equal((await score('```python\ndef doubled(xs):\n    return xs\n```')).reason, 'AssertionError in test 2');
  });

  it('MBPP: test imports, the code, then the asserts; [BEGIN]/[DONE] markers and fences are stripped', async () => {
    assert.equal((await score('[BEGIN]\ndef half(n):\n    return n / 2\n[DONE]', mbpp)).verdict, 'pass');
    assert.equal((await score('```python\ndef half(n):\n    return n / 2\n```', mbpp)).verdict, 'pass');
    assert.equal((await score('def half(n):\n    return n // 2', mbpp)).reason, 'AssertionError in test 1');
    assert.equal(
      (await score('def halve(n):\n    return n / 2', mbpp)).reason,
      "NameError in test 1: name 'half' is not defined",
    );
  });
});
