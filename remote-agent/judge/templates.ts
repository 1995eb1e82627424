/**
 * MT-Bench's judge prompts, word for word from FastChat's fastchat/llm_judge/data/judge_prompts.jsonl
 * (lm-sys/FastChat, Apache-2.0): single-answer grading on a 1–10 scale ("[[rating]]") and pairwise comparison
 * ("[[A]]", "[[B]]", "[[C]]" for a tie), each with a reference-guided ("math") and a second-turn ("multi-turn") variant.
 * Placeholders are FastChat's: {question}, {answer}, {ref_answer_1}, {question_1}, {answer_a_2}, …
 */

export const SINGLE_TEMPLATE_NAMES = [
  'single-v1',
  'single-math-v1',
  'single-v1-multi-turn',
  'single-math-v1-multi-turn',
] as const;
export type SingleTemplateName = (typeof SINGLE_TEMPLATE_NAMES)[number];
export const PAIR_TEMPLATE_NAMES = [
  'pair-v2',
  'pair-math-v1',
  'pair-v2-multi-turn',
  'pair-math-v1-multi-turn',
] as const;
export type PairTemplateName = (typeof PAIR_TEMPLATE_NAMES)[number];
export type JudgeTemplateName = SingleTemplateName | PairTemplateName;

export interface JudgeTemplate {
  system: string;
  template: string;
}

const PAIR_VERDICT_FORMAT =
  'After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.';
const PAIR_FAIRNESS =
  'Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible.';
const RATING_FORMAT =
  'After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".';

const PAIR_CONVERSATIONS =
  "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_a_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_a_2}\n\n<|The End of Assistant A's Conversation with User|>\n\n\n" +
  "<|The Start of Assistant B's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant B:\n{answer_b_1}\n\n### User:\n{question_2}\n\n### Assistant B:\n{answer_b_2}\n\n<|The End of Assistant B's Conversation with User|>";
const REFERENCE_CONVERSATION =
  '<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n<|The End of Reference Answer|>\n\n\n';
const SINGLE_CONVERSATION =
  "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>";

export const JUDGE_TEMPLATES: Record<JudgeTemplateName, JudgeTemplate> = {
  'pair-v2': {
    system: `Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. You should choose the assistant that follows the user's instructions and answers the user's question better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. Begin your evaluation by comparing the two responses and provide a short explanation. ${PAIR_FAIRNESS} ${PAIR_VERDICT_FORMAT}`,
    template:
      "[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n{answer_a}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n[The End of Assistant B's Answer]",
  },
  'pair-v2-multi-turn': {
    system: `Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. You should choose the assistant that follows the user's instructions and answers the user's questions better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. You should focus on who provides a better answer to the second user question. Begin your evaluation by comparing the responses of the two assistants and provide a short explanation. ${PAIR_FAIRNESS} ${PAIR_VERDICT_FORMAT}`,
    template: PAIR_CONVERSATIONS,
  },
  'pair-math-v1': {
    system: `Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer, assistant A's answer, and assistant B's answer. Your job is to evaluate which assistant's answer is better. Begin your evaluation by comparing both assistants' answers with the reference answer. Identify and correct any mistakes. ${PAIR_FAIRNESS} ${PAIR_VERDICT_FORMAT}`,
    template:
      "[User Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\n{answer_a}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n[The End of Assistant B's Answer]",
  },
  'pair-math-v1-multi-turn': {
    system: `Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. Your evaluation should consider correctness and helpfulness. You will be given reference answers, the assistant A's answers, the assistant B's answers. Your job is to determine which assistant provides correct and helpful answers to the second user question. Begin your evaluation by comparing both assistants' answers with the reference answers. Identify and correct any mistakes. ${PAIR_FAIRNESS} ${PAIR_VERDICT_FORMAT}`,
    template: REFERENCE_CONVERSATION + PAIR_CONVERSATIONS,
  },
  'single-v1': {
    system: 'You are a helpful assistant.',
    template: `[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. ${RATING_FORMAT}\n\n[Question]\n{question}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]`,
  },
  'single-math-v1': {
    system: 'You are a helpful assistant.',
    template: `[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. ${RATING_FORMAT}\n\n[Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]`,
  },
  'single-v1-multi-turn': {
    // "You evaluation" is MT-Bench's own typo, kept: the prompt is the benchmark's.
    system: `Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. You evaluation should focus on the assistant's answer to the second user question. Begin your evaluation by providing a short explanation. Be as objective as possible. ${RATING_FORMAT}\n\n`,
    template: SINGLE_CONVERSATION,
  },
  'single-math-v1-multi-turn': {
    system: `Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. You evaluation should focus on the assistant's answer to the second question. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. ${RATING_FORMAT}\n\n`,
    template: REFERENCE_CONVERSATION + SINGLE_CONVERSATION,
  },
};

/**
 * Fills `{name}` placeholders in one pass, so an answer that itself contains "{answer}" is left as written. A
 * placeholder without a value is an error (a template and its caller disagree), never silently left in.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z0-9_]+)\}/g, (all, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`judge template placeholder ${all} has no value`);
    return v;
  });
}
