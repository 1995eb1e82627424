import type { Prediction } from '../../common/run/records';
import type { ChatMessage, Sample } from '../datasets/types';
import {
  fillTemplate,
  JUDGE_TEMPLATES,
  type JudgeTemplateName,
  type PairTemplateName,
  type SingleTemplateName,
} from './templates';

/** MT-Bench's categories that are graded against a reference answer (FastChat's NEED_REF_CATS). */
export const REFERENCE_CATEGORIES: ReadonlySet<string> = new Set(['math', 'reasoning', 'coding', 'arena-hard-200']);

/** What a judge is shown of one sample: the user's questions in order, reference answers per turn, the category. */
export interface JudgedQuestion {
  questions: string[];
  references: string[];
  category?: string;
}

/** The messages of one judge request, and the template they come from. */
export interface JudgeMessages {
  template: JudgeTemplateName;
  messages: ChatMessage[];
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function lastUserText(prompt: Sample['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  const user = [...prompt].reverse().find((m) => m.role === 'user') ?? prompt[prompt.length - 1];
  if (!user) return '';
  return typeof user.content === 'string'
    ? user.content
    : user.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** MT-Bench records keep their raw turns and references in `meta`; other judged datasets give their prompt and reference. */
export function questionOf(sample: Sample): JudgedQuestion {
  const meta = sample.meta.kind === 'mt_bench' ? sample.meta : undefined;
  const category = typeof meta?.category === 'string' ? meta.category : undefined;
  const turns = strings(meta?.turns);
  if (turns?.length)
    return { questions: turns, references: strings(meta?.reference) ?? [], ...(category ? { category } : {}) };
  return {
    questions: [lastUserText(sample.prompt), ...(sample.followUps ?? [])],
    references: sample.reference ? [sample.reference] : [],
    ...(category ? { category } : {}),
  };
}

/** The model's answer to each turn: `details.turns` of a multi-turn prediction, else its one output. */
export function answersOf(prediction: Pick<Prediction, 'output' | 'details'>): string[] {
  return strings(prediction.details?.turns) ?? [prediction.output];
}

/** Reference-guided grading for MT-Bench's math, reasoning and coding questions, when the record has the references the turn needs. */
function referenceGuided(q: JudgedQuestion, turn: number): boolean {
  return q.category !== undefined && REFERENCE_CATEGORIES.has(q.category) && q.references.length > turn;
}

function messages(system: string, user: string): ChatMessage[] {
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** Turns past MT-Bench's second: its multi-turn prompt over the whole conversation so far, focused on the last answer. */
function laterTurnSystem(system: string): string {
  return system
    .replace('the second user question', 'the last user question')
    .replace('the second question', 'the last question');
}

function conversation(title: string, speaker: string, questions: string[], answers: string[]): string {
  const body = questions.map((q, i) => `### User:\n${q}\n\n### ${speaker}:\n${answers[i] ?? ''}\n\n`).join('');
  return `<|The Start of ${title}|>\n\n${body}<|The End of ${title}|>`;
}

/**
 * The single-answer judge request for one turn (0-based), as MT-Bench builds it: turn 1 with "single-v1" (or the
 * reference-guided "single-math-v1"), turn 2 with "single-v1-multi-turn" over the whole conversation.
 */
export function singleJudgeMessages(q: JudgedQuestion, answers: string[], turn: number): JudgeMessages {
  const ref = referenceGuided(q, turn);
  const question = (i: number): string => q.questions[i] ?? '';
  const answer = (i: number): string => answers[i] ?? '';
  if (turn === 0) {
    const name: SingleTemplateName = ref ? 'single-math-v1' : 'single-v1';
    const t = JUDGE_TEMPLATES[name];
    return {
      template: name,
      messages: messages(
        t.system,
        fillTemplate(t.template, {
          question: question(0),
          answer: answer(0),
          ...(ref ? { ref_answer_1: q.references[0]! } : {}),
        }),
      ),
    };
  }
  const name: SingleTemplateName = ref ? 'single-math-v1-multi-turn' : 'single-v1-multi-turn';
  const t = JUDGE_TEMPLATES[name];
  if (turn === 1) {
    const values = {
      question_1: question(0),
      answer_1: answer(0),
      question_2: question(1),
      answer_2: answer(1),
      ...(ref ? { ref_answer_1: q.references[0]!, ref_answer_2: q.references[1]! } : {}),
    };
    return { template: name, messages: messages(t.system, fillTemplate(t.template, values)) };
  }
  const questions = q.questions.slice(0, turn + 1);
  const refs = ref ? `${conversation('Reference Answer', 'Reference answer', questions, q.references)}\n\n\n` : '';
  return {
    template: name,
    messages: messages(
      laterTurnSystem(t.system),
      refs + conversation("Assistant A's Conversation with User", 'Assistant A', questions, answers),
    ),
  };
}

/**
 * The pairwise judge request for one turn, assistant A's answers first: "pair-v2" (or "pair-math-v1") for the first
 * turn, "pair-v2-multi-turn" for the second. Call it twice with A and B swapped to control for position bias.
 */
export function pairJudgeMessages(
  q: JudgedQuestion,
  answersA: string[],
  answersB: string[],
  turn: number,
): JudgeMessages {
  const ref = referenceGuided(q, turn);
  const question = (i: number): string => q.questions[i] ?? '';
  if (turn === 0) {
    const name: PairTemplateName = ref ? 'pair-math-v1' : 'pair-v2';
    const t = JUDGE_TEMPLATES[name];
    return {
      template: name,
      messages: messages(
        t.system,
        fillTemplate(t.template, {
          question: question(0),
          answer_a: answersA[0] ?? '',
          answer_b: answersB[0] ?? '',
          ...(ref ? { ref_answer_1: q.references[0]! } : {}),
        }),
      ),
    };
  }
  const name: PairTemplateName = ref ? 'pair-math-v1-multi-turn' : 'pair-v2-multi-turn';
  const t = JUDGE_TEMPLATES[name];
  if (turn === 1) {
    const values = {
      question_1: question(0),
      question_2: question(1),
      answer_a_1: answersA[0] ?? '',
      answer_a_2: answersA[1] ?? '',
      answer_b_1: answersB[0] ?? '',
      answer_b_2: answersB[1] ?? '',
      ...(ref ? { ref_answer_1: q.references[0]!, ref_answer_2: q.references[1]! } : {}),
    };
    return { template: name, messages: messages(t.system, fillTemplate(t.template, values)) };
  }
  const questions = q.questions.slice(0, turn + 1);
  const refs = ref ? `${conversation('Reference Answer', 'Reference answer', questions, q.references)}\n\n\n` : '';
  const both = `${conversation("Assistant A's Conversation with User", 'Assistant A', questions, answersA)}\n\n\n${conversation("Assistant B's Conversation with User", 'Assistant B', questions, answersB)}`;
  return { template: name, messages: messages(laterTurnSystem(t.system), refs + both) };
}
