import { findFences, stripThinking } from './text';

export interface ExtractedCode {
  code: string;
  /** How it was found: `fenced`, `bare`. */
  source: 'fenced' | 'bare';
}

const PY_LANGS = new Set(['', 'python', 'py', 'python3', 'py3']);
const CODE_START = /^(?:from\s+\S+\s+import\b|import\s+\S|def\s|async\s+def\s|class\s|@)/;

export function definesFunction(code: string, name: string): boolean {
  return new RegExp(`^(?:async\\s+)?def\\s+${escape(name)}\\s*\\(`, 'm').test(code);
}

/**
 * The code in a model's answer: the fenced block that defines `entryPoint` (else the first Python block), or the bare
 * text with any prose before the first top-level statement dropped. Base-model completions pass through unchanged.
 */
export function extractCode(output: string, entryPoint?: string): ExtractedCode | undefined {
  const text = stripThinking(output);
  const fences = findFences(text).filter((f) => PY_LANGS.has(f.lang) && f.body.trim());
  if (fences.length) {
    const chosen = (entryPoint ? fences.find((f) => definesFunction(f.body, entryPoint)) : undefined) ?? fences[0]!;
    return { code: chosen.body, source: 'fenced' };
  }
  if (!text.trim()) return undefined;
  return { code: dropProse(text), source: 'bare' };
}

/** "Here is the function:\ndef f…" → "def f…": only when a top-level statement follows prose lines. */
function dropProse(text: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => CODE_START.test(l));
  if (first <= 0) return text;
  const before = lines.slice(0, first);
  const prose = before.every((l) => !l.trim() || /^[A-Z][^=()[\]{}]*[.:!]?\s*$/.test(l.trim()));
  return prose ? lines.slice(first).join('\n') : text;
}

/**
 * HumanEval's program from an answer: a whole function (or module) replaces the prompt's stub but keeps what the
 * prompt defines before it (imports, helpers); a body is appended to the prompt, indented if the model dedented it.
 */
export function assembleHumanEval(prompt: string, entryPoint: string, code: string): string {
  if (definesFunction(code, entryPoint)) {
    const m = new RegExp(`^(?:async\\s+)?def\\s+${escape(entryPoint)}\\s*\\(`, 'm').exec(prompt);
    const header = m ? prompt.slice(0, m.index) : '';
    return header + code;
  }
  const firstLine = code.split('\n').find((l) => l.trim() !== '');
  const body =
    firstLine !== undefined && !/^\s/.test(firstLine) && !CODE_START.test(firstLine)
      ? code.replace(/^(?=.)/gm, '    ')
      : code;
  return prompt.endsWith('\n') || body.startsWith('\n') ? prompt + body : `${prompt}\n${body}`;
}

/** MBPP's base prompt ends in [BEGIN]; the answer ends at [DONE]. */
export function stripMbppMarkers(text: string): string {
  const done = text.indexOf('[DONE]');
  const cut = done >= 0 ? text.slice(0, done) : text;
  return cut.replace(/^\s*\[BEGIN\]\s*\n?/, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
