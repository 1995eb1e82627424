import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import type { SampleMeta } from '../../../../remote-agent/datasets/sample-meta';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { createScorer, passAtK, reasonClass, summarize } from '../../../../remote-agent/scoring';
import { parseCalls } from '../../../../remote-agent/scoring/function-call/parse-calls';
import { CHECKS, follows, SUPPORTED_INSTRUCTIONS } from '../../../../remote-agent/scoring/instructions/checks';
import { countWords, splitSentences } from '../../../../remote-agent/scoring/instructions/text-units';

const sample = (meta: SampleMeta, reference = ''): Sample => ({
  id: 's',
  index: 0,
  prompt: '',
  reference,
  referenceOutput: '',
  meta,
});
const scorer = (format: string, extra: Record<string, unknown> = {}) =>
  createScorer(
    DatasetSchema.parse({
      format,
      path: 'x',
      ...(format === 'jsonl' ? { fields: { prompt: 'q', reference: 'a' } } : {}),
      ...extra,
    }),
  );

describe('numeric scorer', () => {
  const s = scorer('gsm8k');
  const gold = sample({ kind: 'gsm8k', answer: '18' }, '18');
  it('passes the right number however it is written, and says why otherwise', async () => {
    assert.deepEqual(await s.score(gold, 'so $18.00 a day.\n#### $18'), {
      verdict: 'pass',
      reason: 'correct: 18',
      extracted: '18',
      details: { rule: '####', written: '$18' },
    });
    assert.equal((await s.score(gold, 'The answer is 17.')).reason, 'wrong answer 17 != 18');
    assert.equal((await s.score(gold, 'I cannot tell.')).reason, 'no answer extracted');
    assert.equal((await s.score(sample({ kind: 'gsm8k', answer: '1254' }), '#### 1,254')).verdict, 'pass');
  });
});

describe('choice scorer', () => {
  const s = scorer('multiple_choice');
  const meta: SampleMeta = {
    kind: 'choice',
    labels: ['A', 'B', 'C', 'D'],
    options: ['w', 'x', 'y', 'z'],
    answerIndex: 2,
    answer: 'C',
    mode: 'generative',
  };
  it('generative: letters; log-likelihood: the chosen index', async () => {
    assert.equal((await s.score(sample(meta), 'Answer: (C)')).verdict, 'pass');
    assert.equal((await s.score(sample(meta), 'the answer is B')).reason, 'wrong answer B != C');
    assert.equal((await s.score(sample(meta), 'hmm')).reason, 'no answer extracted');
    assert.equal((await s.score(sample({ ...meta, mode: 'loglikelihood' } as SampleMeta), '2')).verdict, 'pass');
    assert.equal(
      (await s.score(sample({ ...meta, mode: 'loglikelihood' } as SampleMeta), '0')).reason,
      'wrong answer A != C',
    );
  });
});

describe('function-call scorer', () => {
  const s = scorer('function_calling');
  const functions = [
    {
      name: 'math.area',
      parameters: {
        type: 'dict',
        properties: { w: { type: 'float' }, h: { type: 'integer' }, unit: { type: 'string' } },
        required: ['w', 'h'],
      },
    },
  ];
  const expected = [{ 'math.area': { w: [2.0], h: [3], unit: ['meters', ''] } }];
  const item = sample({ kind: 'function_calling', functions, expected });
  const cases: Array<[string, string, string]> = [
    ['JSON list', '[{"name": "math.area", "arguments": {"w": 2, "h": 3}}]', 'pass'],
    ['Python syntax', '[math.area(w=2.0, h=3, unit="Meters")]', 'pass'],
    [
      'OpenAI tool_calls with string arguments',
      '{"tool_calls": [{"type": "function", "function": {"name": "math_area", "arguments": "{\\"w\\": 2, \\"h\\": 3}"}}]}',
      'pass',
    ],
    ['Hermes <tool_call>', '<tool_call>\n{"name": "math.area", "arguments": {"w": 2.0, "h": 3}}\n</tool_call>', 'pass'],
    [
      'fenced JSON after prose',
      'I will call it:\n```json\n{"name": "math.area", "parameters": {"w": 2, "h": 3, "unit": "meters"}}\n```',
      'pass',
    ],
    ['wrong value', '[math.area(w=2, h=4)]', 'wrong value for "h": 4 (accepted: 3)'],
    ['missing required', '[math.area(w=2)]', 'missing required argument "h"'],
    ['unknown argument', '[math.area(w=2, h=3, depth=1)]', 'unexpected argument "depth"'],
    ['wrong function', '[area(w=2, h=3)]', 'wrong function area, expected math.area'],
    ['two calls', '[math.area(w=2, h=3), math.area(w=2, h=3)]', 'made 2 calls, expected 1'],
    ['no call', '[]', 'made no call, expected one'],
    ['prose only', 'I cannot do that.', 'no answer extracted (no function call found)'],
  ];
  for (const [name, output, want] of cases) {
    it(name, async () => {
      const j = await s.score(item, output);
      if (want === 'pass') assert.equal(j.verdict, 'pass', j.reason);
      else assert.deepEqual([j.verdict, j.reason], ['fail', want]);
    });
  }
  it('irrelevance: calling nothing is correct, any call is wrong', async () => {
    const irr = sample({ kind: 'function_calling', functions, expected: null });
    assert.equal((await s.score(irr, 'None of these functions can answer that.')).verdict, 'pass');
    assert.equal((await s.score(irr, '[]')).verdict, 'pass');
    assert.deepEqual(
      await s.score(irr, '[math.area(w=1, h=1)]').then((j) => j.reason),
      'called math.area although no function fits',
    );
  });
  it('parses Python literals: nested lists, dicts, tuples, booleans, None, negative numbers, escaped quotes', () => {
    assert.deepEqual(parseCalls('f(a=[1, (2, 3)], b={"k": True, "n": None}, c=-1.5e2, d=\'it\\\'s\')'), [
      { name: 'f', arguments: { a: [1, [2, 3]], b: { k: true, n: null }, c: -150, d: "it's" } },
    ]);
  });
});

describe('instruction scorer (IFEval subset)', () => {
  const s = scorer('instruction_following');
  const item = (ids: string[], kwargs: Array<Record<string, unknown>>) =>
    sample({ kind: 'instruction_following', instructions: ids, kwargs, prompt: 'p', hasReference: false });
  it('passes when every instruction is followed and names those that are not', async () => {
    const ids = ['punctuation:no_comma', 'length_constraints:number_words'];
    const kw = [{}, { relation: 'at least', num_words: 5 }];
    assert.equal((await s.score(item(ids, kw), 'one two three four five six')).verdict, 'pass');
    assert.equal(
      (await s.score(item(ids, kw), 'one, two')).reason,
      'not followed: punctuation:no_comma, length_constraints:number_words',
    );
    assert.equal((await s.score(item(['language:klingon'], [{}]), 'x')).verdict, 'error');
  });
  it("supports a useful subset of IFEval's 25 instruction types", () => assert.ok(SUPPORTED_INSTRUCTIONS.length >= 20));
  const checks: Array<[string, string, Record<string, unknown>, boolean]> = [
    ['keywords:existence', 'I like Apples and pears', { keywords: ['apple', 'pear'] }, true],
    ['keywords:frequency', 'cat cat dog cat', { keyword: 'cat', frequency: 3, relation: 'at least' }, true],
    ['keywords:frequency', 'cat cat dog cat', { keyword: 'cat', frequency: 3, relation: 'less than' }, false],
    ['keywords:forbidden_words', 'the scatter plot', { forbidden_words: ['cat'] }, true],
    ['keywords:forbidden_words', 'the Cat sat', { forbidden_words: ['cat'] }, false],
    ['keywords:letter_frequency', 'banana', { letter: 'a', let_frequency: 3, let_relation: 'at least' }, true],
    [
      'length_constraints:number_sentences',
      'One. Two! Three? Dr. Who is four.',
      { num_sentences: 4, relation: 'at least' },
      true,
    ],
    ['length_constraints:number_paragraphs', 'a\n***\nb\n***\nc', { num_paragraphs: 3 }, true],
    ['length_constraints:number_paragraphs', 'a\n***\n\n***\nc', { num_paragraphs: 2 }, false],
    [
      'length_constraints:nth_paragraph_first_word',
      'Hello there.\n\n"Second," he said.',
      { num_paragraphs: 2, nth_paragraph: 2, first_word: 'second' },
      true,
    ],
    ['detectable_content:number_placeholders', 'Dear [name], at [address].', { num_placeholders: 2 }, true],
    ['detectable_content:postscript', 'Body\nP.S. later', { postscript_marker: 'P.S.' }, true],
    ['detectable_format:number_bullet_lists', '* a\n* b\n- c', { num_bullets: 3 }, true],
    ['detectable_format:constrained_response', 'My answer is yes.', {}, true],
    ['detectable_format:number_highlighted_sections', '*one* and **two** and ** **', { num_highlights: 2 }, true],
    [
      'detectable_format:multiple_sections',
      'SECTION 1\na\nSECTION 2\nb',
      { section_spliter: 'SECTION', num_sections: 2 },
      true,
    ],
    ['detectable_format:json_format', '```json\n{"a": 1}\n```', {}, true],
    ['detectable_format:json_format', 'a: 1', {}, false],
    ['detectable_format:title', '<<A Title>>\ntext', {}, true],
    ['combination:two_responses', 'first\n******\nsecond', {}, true],
    ['combination:two_responses', 'same\n******\nsame', {}, false],
    ['combination:repeat_prompt', 'Write a poem. Here it is.', { prompt_to_repeat: 'write a poem.' }, true],
    ['startend:end_checker', 'Text. Any other questions?"', { end_phrase: 'Any other questions?' }, true],
    ['startend:quotation', '"quoted"', {}, true],
    ['change_case:english_capital', 'ALL CAPS HERE', {}, true],
    ['change_case:english_lowercase', 'all lower here', {}, true],
    ['change_case:capital_word_frequency', 'THE big DOG', { capital_frequency: 2, capital_relation: 'at least' }, true],
    ['punctuation:no_comma', 'no commas', {}, true],
    ['language:response_language', 'Der Hund ist nicht mit der Katze und die Maus.', { language: 'de' }, true],
    ['language:response_language', 'यह एक वाक्य है', { language: 'hi' }, true],
    ['language:response_language', 'The dog is in the house.', { language: 'de' }, false],
  ];
  for (const [id, response, kw, want] of checks) {
    it(`${id}: ${JSON.stringify(response)} → ${want}`, () => {
      assert.ok(id in CHECKS);
      assert.equal(follows(id, response, kw).strict, want);
    });
  }
  it('loose mode forgives a first line of chatter and markdown asterisks', () => {
    const r = follows('startend:quotation', 'Sure, here it is:\n"quoted"', {});
    assert.deepEqual(r, { strict: false, loose: true });
  });
  it('counts words and sentences as IFEval does', () => {
    assert.equal(countWords("it's a well-known fact"), 6);
    assert.deepEqual(splitSentences('Mr. Smith went to Washington. He saw 3.5 dogs! Really?'), [
      'Mr. Smith went to Washington.',
      'He saw 3.5 dogs!',
      'Really?',
    ]);
  });
});

describe('exact-match and judged scorers', () => {
  it('exact match ignores case, outer quotes, spacing and a final full stop', async () => {
    const s = scorer('jsonl');
    assert.equal((await s.score(sample({ kind: 'jsonl' }, 'New York'), '  "new   york." ')).verdict, 'pass');
    assert.equal((await s.score(sample({ kind: 'jsonl' }, 'Lima'), 'Quito')).reason, 'wrong answer "quito" != "lima"');
  });
  it('a judged dataset gives an error that says it needs a judge, never a made-up score', async () => {
    const j = await scorer('mt_bench').score(sample({ kind: 'mt_bench', turns: ['q'], reference: [] }), 'any answer');
    assert.equal(j.verdict, 'error');
    assert.match(j.reason, /needs a judge/);
  });
});

describe('metrics', () => {
  it('accuracy with its standard error, counts, and reasons by kind', () => {
    const s = summarize([
      { verdict: 'pass', reason: 'correct: 1' },
      { verdict: 'pass', reason: 'correct: 2' },
      { verdict: 'fail', reason: 'wrong answer 17 != 18' },
      { verdict: 'fail', reason: 'wrong answer 3 != 4' },
      { verdict: 'fail', reason: 'no answer extracted' },
      { verdict: 'error', reason: 'needs a judge: …' },
    ]);
    assert.deepEqual([s.n, s.passed, s.failed, s.errors, s.metric], [6, 2, 3, 1, 'accuracy']);
    assert.ok(Math.abs(s.value - 1 / 3) < 1e-12);
    assert.ok(Math.abs(s.stderr - Math.sqrt(((1 / 3) * (2 / 3)) / 5)) < 1e-12);
    assert.deepEqual(s.reasons, { 'wrong answer': 2, 'no answer extracted': 1, 'needs a judge': 1 });
  });
  it('unbiased pass@k (Chen et al.): matches the combinatorial formula', () => {
    const comb = (n: number, k: number): number =>
      k > n ? 0 : Array.from({ length: k }, (_, i) => (n - i) / (i + 1)).reduce((a, b) => a * b, 1);
    for (const [n, c, k] of [
      [10, 3, 1],
      [10, 3, 5],
      [20, 0, 10],
      [20, 20, 1],
      [200, 13, 100],
      [5, 4, 2],
    ] as const) {
      assert.ok(Math.abs(passAtK(n, c, k) - (1 - comb(n - c, k) / comb(n, k))) < 1e-9, `n=${n} c=${c} k=${k}`);
    }
    assert.throws(() => passAtK(3, 1, 5), /needs at least 5 samples/);
  });
  it('several completions per problem give pass@k', () => {
    const s = summarize([
      { verdict: 'pass', reason: 'ok', passes: [true, false, false, false, false] },
      { verdict: 'fail', reason: 'AssertionError in test 1', passes: [false, false, false, false, false] },
    ]);
    assert.equal(s.metric, 'pass@1');
    assert.ok(Math.abs(s.value - 0.1) < 1e-12);
    assert.ok(Math.abs(s.passAtK!['pass@5']! - 0.5) < 1e-12);
  });
  it('reason kinds', () => {
    const kinds: Array<[string, string]> = [
      ['wrong answer 17 != 18', 'wrong answer'],
      ['AssertionError in test 3', 'AssertionError'],
      ['timeout after 10 s (CPU time)', 'timeout'],
      ["SyntaxError line 4: expected ':'", 'SyntaxError'],
      ['killed: memory limit (2048 MB)', 'killed: memory limit'],
      ['no answer extracted (empty output)', 'no answer extracted'],
      ['blocked by the sandbox: os.fork (in solution line 2)', 'blocked by the sandbox'],
      ['wrong value for "h": 4 (accepted: 3)', 'wrong argument value'],
      ['not followed: punctuation:no_comma', 'not followed'],
    ];
    for (const [reason, kind] of kinds) assert.equal(reasonClass(reason), kind, reason);
  });
});
