import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../../../remote-agent/datasets/types';
import { answersOf, pairJudgeMessages, questionOf, singleJudgeMessages } from '../../../../remote-agent/judge/prompts';
import { fillTemplate, JUDGE_TEMPLATES } from '../../../../remote-agent/judge/templates';

function mtSample(category: string, reference?: string[]): Sample {
  const turns = ['What is 2+3?', 'And times 4?'];
  return {
    id: '81',
    index: 0,
    prompt: [{ role: 'user', content: turns[0]! }],
    followUps: [turns[1]!],
    reference: (reference ?? []).join('\n\n'),
    referenceOutput: '',
    meta: { kind: 'mt_bench', category, turns, reference: reference ?? [] },
  };
}

const answers = ['It is 5. {answer}', 'It is 20.'];

describe('MT-Bench judge prompts', () => {
  it('turn 1 is "single-v1": its system prompt, then the question and the answer between the markers', () => {
    const { template, messages } = singleJudgeMessages(questionOf(mtSample('writing')), answers, 0);
    assert.equal(template, 'single-v1');
    assert.deepEqual(messages[0], { role: 'system', content: 'You are a helpful assistant.' });
    const user = messages[1]!.content as string;
    assert.ok(user.startsWith('[Instruction]\nPlease act as an impartial judge'));
    assert.ok(user.includes('by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".'));
    // An answer that contains a placeholder is shown as written, not filled in again.
    assert.ok(
      user.endsWith(
        "[Question]\nWhat is 2+3?\n\n[The Start of Assistant's Answer]\nIt is 5. {answer}\n[The End of Assistant's Answer]",
      ),
    );
  });

  it('turn 2 is "single-v1-multi-turn": the whole conversation, the judge told to grade the second answer', () => {
    const { template, messages } = singleJudgeMessages(questionOf(mtSample('writing')), answers, 1);
    assert.equal(template, 'single-v1-multi-turn');
    assert.match(messages[0]!.content as string, /focus on the assistant's answer to the second user question/);
    assert.equal(
      messages[1]!.content,
      "<|The Start of Assistant A's Conversation with User|>\n\n### User:\nWhat is 2+3?\n\n### Assistant A:\nIt is 5. {answer}\n\n### User:\nAnd times 4?\n\n### Assistant A:\nIt is 20.\n\n<|The End of Assistant A's Conversation with User|>",
    );
  });

  it('math, reasoning and coding questions with references are graded against them ("single-math-v1")', () => {
    const q = questionOf(mtSample('math', ['5', '20']));
    const first = singleJudgeMessages(q, answers, 0);
    assert.equal(first.template, 'single-math-v1');
    assert.ok(
      (first.messages[1]!.content as string).includes(
        '[The Start of Reference Answer]\n5\n[The End of Reference Answer]',
      ),
    );
    const second = singleJudgeMessages(q, answers, 1);
    assert.equal(second.template, 'single-math-v1-multi-turn');
    assert.ok(
      (second.messages[1]!.content as string).startsWith(
        '<|The Start of Reference Answer|>\n\n### User:\nWhat is 2+3?\n\n### Reference answer:\n5\n\n### User:\nAnd times 4?\n\n### Reference answer:\n20',
      ),
    );
  });

  it('without a reference, or outside those categories, the general prompt is used', () => {
    assert.equal(singleJudgeMessages(questionOf(mtSample('math')), answers, 0).template, 'single-v1');
    assert.equal(singleJudgeMessages(questionOf(mtSample('writing', ['x', 'y'])), answers, 0).template, 'single-v1');
    // One reference covers the first turn only.
    const q = questionOf(mtSample('reasoning', ['5']));
    assert.equal(singleJudgeMessages(q, answers, 0).template, 'single-math-v1');
    assert.equal(singleJudgeMessages(q, answers, 1).template, 'single-v1-multi-turn');
  });

  it('pairwise: "pair-v2" with A and B as given; swapping the answers swaps them in the prompt', () => {
    const q = questionOf(mtSample('writing'));
    const ab = pairJudgeMessages(q, ['A says 5'], ['B says 6'], 0);
    const ba = pairJudgeMessages(q, ['B says 6'], ['A says 5'], 0);
    assert.equal(ab.template, 'pair-v2');
    assert.equal(ab.messages[0]!.content, JUDGE_TEMPLATES['pair-v2'].system);
    assert.ok(
      (ab.messages[1]!.content as string).includes(
        "[The Start of Assistant A's Answer]\nA says 5\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\nB says 6",
      ),
    );
    assert.ok((ba.messages[1]!.content as string).includes("[The Start of Assistant A's Answer]\nB says 6\n"));
    assert.equal(pairJudgeMessages(q, ['a1', 'a2'], ['b1', 'b2'], 1).template, 'pair-v2-multi-turn');
    assert.equal(
      pairJudgeMessages(questionOf(mtSample('coding', ['r1', 'r2'])), ['a1', 'a2'], ['b1', 'b2'], 1).template,
      'pair-math-v1-multi-turn',
    );
  });

  it('turns past the second use the multi-turn prompt over the conversation so far, about the last answer', () => {
    const q = { questions: ['q1', 'q2', 'q3'], references: [] };
    const { template, messages } = singleJudgeMessages(q, ['a1', 'a2', 'a3'], 2);
    assert.equal(template, 'single-v1-multi-turn');
    assert.match(messages[0]!.content as string, /answer to the last user question/);
    assert.ok(
      (messages[1]!.content as string).endsWith(
        "### User:\nq3\n\n### Assistant A:\na3\n\n<|The End of Assistant A's Conversation with User|>",
      ),
    );
  });

  it('other judged datasets: the last user message is the question, one output the answer', () => {
    const sample: Sample = {
      id: 'x',
      index: 0,
      prompt: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Name a colour.' },
      ],
      reference: '',
      referenceOutput: '',
      meta: { kind: 'jsonl' },
    };
    assert.deepEqual(questionOf(sample), { questions: ['Name a colour.'], references: [] });
    assert.deepEqual(answersOf({ output: 'Blue', details: undefined }), ['Blue']);
    assert.deepEqual(answersOf({ output: 'last', details: { turns: ['first', 'last'] } }), ['first', 'last']);
  });

  it('a template placeholder without a value is an error, never left in the prompt', () => {
    assert.throws(() => fillTemplate('{question} {answer}', { question: 'q' }), /\{answer\} has no value/);
  });
});
