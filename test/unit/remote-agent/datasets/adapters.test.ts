import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DatasetError, loadDatasetSync } from '../../../../remote-agent/datasets';
import type { ChatMessage } from '../../../../remote-agent/datasets/types';
import { dataset, jsonl, tempFiles } from '../../support/datasets/fixtures';
import { asKind } from '../../../../remote-agent/datasets/sample-meta';

const HE = {
  task_id: 'T/0',
  prompt: 'def inc(x):\n    """Add one."""\n',
  entry_point: 'inc',
  canonical_solution: '    return x + 1\n',
  test: 'def check(c):\n    assert c(1) == 2\n',
};
const t = tempFiles({
  'he.jsonl': jsonl([HE, { ...HE, task_id: 'T/1' }, { task_id: 'T/2', prompt: 'x' }]),
  'mbpp.jsonl': jsonl([
    {
      text: 'Add two numbers.',
      code: 'def add(a, b):\n    return a + b',
      task_id: 7,
      test_setup_code: '',
      test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'],
      challenge_test_list: [],
    },
  ]),
  'smbpp.json': JSON.stringify([
    {
      source_file: 'x',
      task_id: 8,
      prompt: 'Square root.',
      code: 'import math\ndef root(x):\n    return math.sqrt(x)',
      test_imports: ['import math'],
      test_list: ['assert math.isclose(root(4), 2)'],
    },
  ]),
  'gsm.jsonl': jsonl([
    { question: 'Q1?', answer: 'Work 1.\n#### 1,200' },
    { question: 'Q2?', answer: 'Work 2.\n#### 7' },
    { question: 'Q3?', answer: 'no marker' },
    { question: 'Q4?', answer: 'Work 4.\n#### -3' },
  ]),
  'arc.jsonl': jsonl([
    {
      id: 'arc1',
      question: {
        stem: 'Which is a gas?',
        choices: [
          { text: 'ice', label: 'A' },
          { text: 'steam', label: 'B' },
          { text: 'rock', label: 'C' },
        ],
      },
      answerKey: 'B',
    },
    {
      id: 'arc2',
      question: {
        stem: 'Pick three.',
        choices: [
          { text: 'one', label: '1' },
          { text: 'two', label: '2' },
          { text: 'three', label: '3' },
          { text: 'four', label: '4' },
        ],
      },
      answerKey: '3',
    },
  ]),
  'mmlu.csv': 'What is 2+2?,3,4,5,6,B\n',
  'mmlu_hf.csv.gz': 'question,choice0,choice1,choice2,choice3,answer\nCapital of France?,Rome,Paris,Oslo,Bern,1\n',
  'hs.jsonl': jsonl([
    {
      ind: 5,
      activity_label: 'Cooking',
      ctx_a: 'A man cracks an egg.',
      ctx_b: 'he',
      ctx: 'A man cracks an egg. he',
      label: '2',
      endings: ['sleeps.', 'flies [title] away.', 'fries it in a pan.', 'sings.'],
    },
  ]),
  'fc.jsonl': jsonl([
    {
      id: 'simple_0',
      question: [[{ role: 'user', content: 'Area of a 2 by 3 rectangle?' }]],
      function: [
        {
          name: 'area',
          description: 'Area.',
          parameters: {
            type: 'dict',
            properties: { w: { type: 'float' }, h: { type: 'integer' } },
            required: ['w', 'h'],
          },
        },
      ],
    },
    {
      id: 'irrelevance_0',
      question: [[{ role: 'user', content: 'Tell me a joke.' }]],
      function: [{ name: 'area', parameters: { type: 'dict', properties: {} } }],
    },
    {
      id: 'simple_9',
      question: [[{ role: 'user', content: 'No answer for me.' }]],
      function: [{ name: 'area', parameters: { type: 'dict', properties: {} } }],
    },
  ]),
  'fc_answers.jsonl': jsonl([{ id: 'simple_0', ground_truth: [{ area: { w: [2.0], h: [3] } }] }]),
  'ife.jsonl': jsonl([
    { key: 1, prompt: 'Say hi without commas.', instruction_id_list: ['punctuation:no_comma'], kwargs: [{}] },
  ]),
  'mt.jsonl': jsonl([{ question_id: 81, category: 'writing', turns: ['First turn.', 'Second turn.', 'Third.'] }]),
  'own.jsonl': jsonl([
    { uid: 'u1', q: 'Capital of Peru?', a: 'Lima' },
    { uid: 'u2', q: 'Capital of Chile?', a: 'Santiago' },
  ]),
});
after(t.cleanup);
const load = (d: Record<string, unknown>, chat = false, extra: Record<string, unknown> = {}) =>
  loadDatasetSync(dataset(d), { root: t.dir, chat, ...extra });
const lastUser = (p: string | ChatMessage[]): string => {
  assert.ok(Array.isArray(p));
  return String(p[p.length - 1]!.content);
};

describe('format adapters', () => {
  it('humaneval: base models continue the prompt, chat models get an instruction; ids are task_ids; a bad record is reported', () => {
    const base = load({ format: 'humaneval', path: 'he.jsonl' });
    assert.deepEqual(
      base.samples.map((s) => s.id),
      ['T/0', 'T/1'],
    );
    assert.equal(base.samples[0]!.prompt, HE.prompt);
    assert.equal(base.samples[0]!.referenceOutput, HE.canonical_solution);
    assert.deepEqual(base.stop, ['\nclass', '\ndef', '\n#', '\nif', '\nprint']);
    assert.deepEqual(
      base.problems.map((p) => [p.line, p.message]),
      [[3, 'missing field "entry_point"']],
    );
    const chat = load({ format: 'humaneval', path: 'he.jsonl' }, true);
    assert.match(lastUser(chat.samples[0]!.prompt), /Complete the following Python function[\s\S]*```python\ndef inc/);
    assert.match(chat.samples[0]!.referenceOutput, /^```python\ndef inc\(x\):[\s\S]*return x \+ 1\n```$/);
    assert.equal(chat.stop, undefined);
    assert.equal(asKind(chat.samples[0]!.meta, 'humaneval')!.entryPoint, 'inc');
  });

  it('mbpp: plain and sanitized variants; the asserts are the tests, test_imports kept; id from the numeric task_id', () => {
    const plain = load({ format: 'mbpp', path: 'mbpp.jsonl' });
    const s = plain.samples[0]!;
    assert.equal(s.id, '7');
    assert.match(
      String(s.prompt),
      /^You are an expert Python programmer, and here is your task: Add two numbers\. Your code should pass these tests:\n\nassert add\(1, 2\) == 3\nassert add\(0, 0\) == 0\n\[BEGIN\]\n$/,
    );
    assert.deepEqual(asKind(s.meta, 'mbpp')!.tests, ['assert add(1, 2) == 3', 'assert add(0, 0) == 0']);
    assert.equal(asKind(s.meta, 'mbpp')!.entryPoint, 'add');
    assert.deepEqual(plain.stop, ['[DONE]']);
    const san = load({ format: 'mbpp', path: 'smbpp.json' }, true).samples[0]!;
    assert.deepEqual(asKind(san.meta, 'mbpp')!.imports, ['import math']);
    assert.equal(asKind(san.meta, 'mbpp')!.entryPoint, 'root');
    assert.match(lastUser(san.prompt), /^Square root\./);
  });

  it('gsm8k: reference is the number after ####, commas removed; few-shot examples come first and are not scored', () => {
    const r = load({ format: 'gsm8k', path: 'gsm.jsonl', fewShot: 1 });
    assert.deepEqual(
      r.samples.map((s) => [s.id, s.reference]),
      [
        ['1', '7'],
        ['3', '-3'],
      ],
    );
    assert.deepEqual(
      r.problems.map((p) => p.line),
      [3],
    );
    assert.equal(r.samples[0]!.prompt, 'Question: Q1?\nAnswer: Work 1.\n#### 1,200\n\nQuestion: Q2?\nAnswer:');
    assert.equal(r.fewShotCount, 1);
    const chat = load({ format: 'gsm8k', path: 'gsm.jsonl', fewShot: 1, systemPrompt: 'Be brief.' }, true);
    const msgs = chat.samples[0]!.prompt as ChatMessage[];
    assert.deepEqual(
      msgs.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(msgs[0]!.content, 'Be brief.');
    assert.equal(msgs[2]!.content, 'Work 1.\n#### 1,200');
  });

  it('gsm8k: the limit counts scored samples only', () => {
    assert.deepEqual(
      load({ format: 'gsm8k', path: 'gsm.jsonl' }, false, { limit: 1 }).samples.map((s) => s.id),
      ['0'],
    );
  });

  it('multiple_choice: ARC labels (numeric labels become letters), generative and log-likelihood modes', () => {
    const gen = load({ format: 'multiple_choice', path: 'arc.jsonl' });
    assert.equal(gen.samples[0]!.prompt, 'Question: Which is a gas?\nA. ice\nB. steam\nC. rock\nAnswer:');
    assert.deepEqual([gen.samples[0]!.reference, gen.samples[1]!.reference], ['B', 'C']);
    assert.deepEqual(asKind(gen.samples[1]!.meta, 'choice')!.labels, ['A', 'B', 'C', 'D']);
    const ll = load({ format: 'multiple_choice', path: 'arc.jsonl', mode: 'loglikelihood' });
    assert.deepEqual(ll.samples[0]!.choices, {
      context: 'Question: Which is a gas?\nAnswer:',
      continuations: [' ice', ' steam', ' rock'],
    });
    assert.equal(ll.samples[0]!.referenceOutput, '1');
  });

  it('multiple_choice: MMLU CSV with answer letters (no header) and with answer indexes (header, gzipped)', () => {
    const a = load({ format: 'multiple_choice', path: 'mmlu.csv' }).samples[0]!;
    assert.deepEqual([a.reference, asKind(a.meta, 'choice')!.options], ['B', ['3', '4', '5', '6']]);
    const b = load({ format: 'multiple_choice', path: 'mmlu_hf.csv.gz' }).samples[0]!;
    assert.deepEqual(
      [b.reference, asKind(b.meta, 'choice')!.options, b.id],
      ['B', ['Rome', 'Paris', 'Oslo', 'Bern'], '0'],
    );
  });

  it('hellaswag: lm-evaluation-harness preprocessing; both modes', () => {
    const ll = load({ format: 'hellaswag', path: 'hs.jsonl', mode: 'loglikelihood' }).samples[0]!;
    assert.equal(ll.choices!.context, 'Cooking: A man cracks an egg. He');
    assert.deepEqual(ll.choices!.continuations, [' sleeps.', ' flies. away.', ' fries it in a pan.', ' sings.']);
    assert.equal(ll.referenceOutput, '2');
    assert.equal(ll.id, '0');
    const gen = load({ format: 'hellaswag', path: 'hs.jsonl' }, true).samples[0]!;
    assert.match(lastUser(gen.prompt), /C\. fries it in a pan\.\nD\. sings\.\n\nAnswer with the letter/);
    assert.equal(gen.reference, 'C');
  });

  it('function_calling: answers from the separate file, irrelevance items expect no call, a missing answer is reported', () => {
    const r = load({ format: 'function_calling', path: 'fc.jsonl', answersPath: 'fc_answers.jsonl' }, true);
    assert.deepEqual(
      r.samples.map((s) => s.id),
      ['simple_0', 'irrelevance_0'],
    );
    assert.match(r.problems[0]!.message, /no accepted answer for id "simple_9"/);
    const [s, irr] = r.samples;
    assert.deepEqual(asKind(s!.meta, 'function_calling')!.expected, [{ area: { w: [2.0], h: [3] } }]);
    assert.equal(asKind(irr!.meta, 'function_calling')!.expected, null);
    assert.equal(irr!.referenceOutput, '[]');
    assert.deepEqual(JSON.parse(s!.referenceOutput), [{ name: 'area', arguments: { w: 2, h: 3 } }]);
    const msgs = s!.prompt as ChatMessage[];
    assert.equal(msgs[0]!.role, 'system');
    assert.match(String(msgs[0]!.content), /"name": "area"/);
    assert.equal(msgs[1]!.content, 'Area of a 2 by 3 rectangle?');
    assert.deepEqual(s!.tools![0]!.function.parameters, {
      type: 'object',
      properties: { w: { type: 'number' }, h: { type: 'integer' } },
      required: ['w', 'h'],
    });
  });

  it('instruction_following, mt_bench (follow-up turns) and jsonl with a field mapping', () => {
    const ife = load({ format: 'instruction_following', path: 'ife.jsonl' }).samples[0]!;
    assert.deepEqual(
      [ife.id, ife.prompt, asKind(ife.meta, 'instruction_following')!.instructions],
      ['0', 'Say hi without commas.', ['punctuation:no_comma']],
    );
    const mt = load({ format: 'mt_bench', path: 'mt.jsonl' }, true).samples[0]!;
    assert.equal(lastUser(mt.prompt), 'First turn.');
    assert.deepEqual(mt.followUps, ['Second turn.', 'Third.']);
    const own = load({
      format: 'jsonl',
      path: 'own.jsonl',
      fields: { id: 'uid', prompt: 'q', reference: 'a' },
      promptTemplate: 'Answer in one word. {q}',
    });
    assert.deepEqual(
      own.samples.map((s) => [s.id, s.prompt, s.reference]),
      [
        ['u1', 'Answer in one word. Capital of Peru?', 'Lima'],
        ['u2', 'Answer in one word. Capital of Chile?', 'Santiago'],
      ],
    );
  });

  it('prompt templates name record fields; an unknown field is an error that names the known ones', () => {
    const r = load({ format: 'gsm8k', path: 'gsm.jsonl', promptTemplate: 'Q: {question} {{literal}}' });
    assert.equal(r.samples[0]!.prompt, 'Q: Q1? {literal}');
    assert.throws(
      () => load({ format: 'gsm8k', path: 'gsm.jsonl', promptTemplate: '{nope}' }),
      (e: Error) => e instanceof DatasetError && /\{nope\}.*fields: answer, question/.test(e.message),
    );
  });

  it('stop sequences come from the dataset when it names them', () => {
    assert.deepEqual(load({ format: 'humaneval', path: 'he.jsonl', stop: ['\n\n\n'] }).stop, ['\n\n\n']);
  });

  it('over-long prompts keep their head and tail and are flagged', () => {
    const long = { question: `START ${'filler '.repeat(2000)} END?`, answer: 'x\n#### 1' };
    const f = tempFiles({ 'long.jsonl': jsonl([long]) });
    try {
      const s = loadDatasetSync(dataset({ format: 'gsm8k', path: 'long.jsonl' }), {
        root: f.dir,
        chat: false,
        contextLength: 600,
        maxTokens: 100,
      }).samples[0]!;
      assert.equal(s.truncated, true);
      const text = String(s.prompt);
      assert.ok(text.length <= 500 * 3.5, `prompt of ${text.length} chars`);
      assert.ok(text.startsWith('Question: START'));
      assert.ok(text.endsWith('END?\nAnswer:'));
      assert.ok(text.includes('…'));
      const chat = loadDatasetSync(dataset({ format: 'gsm8k', path: 'long.jsonl' }), {
        root: f.dir,
        chat: true,
        contextLength: 600,
        maxTokens: 100,
      }).samples[0]!;
      assert.equal(chat.truncated, true);
      assert.ok(lastUser(chat.prompt).startsWith('START'));
      const short = loadDatasetSync(dataset({ format: 'gsm8k', path: 'gsm.jsonl' }), {
        root: t.dir,
        chat: false,
        contextLength: 4096,
      }).samples[0]!;
      assert.equal(short.truncated, undefined);
    } finally {
      f.cleanup();
    }
  });

  it('a missing file is a DatasetError naming it', () => {
    assert.throws(
      () => load({ format: 'gsm8k', path: 'nope.jsonl' }),
      (e: Error) => e instanceof DatasetError && /nope\.jsonl/.test(e.message),
    );
  });
});
