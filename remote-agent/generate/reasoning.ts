/** An answer with the model's thinking kept apart: scorers read `answer`; `reasoning` is shown, never scored. */
export interface SplitAnswer {
  answer: string;
  /** The thinking, without its tags; '' when the model showed none. */
  reasoning: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Separates thinking from the answer. With a reasoning parser, vLLM already sends the thinking apart (chat
 * `reasoning_content`, `reasoning` in later versions) and `content` is the answer. Without one (or for /v1/completions),
 * the text itself carries it: a leading `<think>…</think>` block (Qwen3), or everything before a `</think>` whose
 * `<think>` the chat template already put in the prompt (DeepSeek-R1, QwQ). A `<think>` never closed (the answer was
 * cut by max_tokens while thinking) leaves no answer.
 */
export function splitReasoning(text: string, sentApart?: string): SplitAnswer {
  const apart = sentApart?.trim() ?? '';
  const lead = /^\s*/.exec(text)![0].length;
  if (text.startsWith(OPEN, lead)) {
    const close = text.indexOf(CLOSE, lead + OPEN.length);
    if (close < 0) return { answer: '', reasoning: join(apart, text.slice(lead + OPEN.length).trim()) };
    return {
      answer: text.slice(close + CLOSE.length).replace(/^\s+/, ''),
      reasoning: join(apart, text.slice(lead + OPEN.length, close).trim()),
    };
  }
  const close = text.indexOf(CLOSE);
  if (close >= 0 && !text.slice(0, close).includes(OPEN)) {
    return {
      answer: text.slice(close + CLOSE.length).replace(/^\s+/, ''),
      reasoning: join(apart, text.slice(0, close).trim()),
    };
  }
  return { answer: text, reasoning: apart };
}

function join(a: string, b: string): string {
  return a && b ? `${a}\n${b}` : a || b;
}
