import { stripThinking } from './text';

export interface ExtractedNumber {
  value: number;
  /** As written, e.g. "$1,234.50". */
  text: string;
  /** Which rule found it: `####`, `boxed`, `answer is`, `last number`. */
  rule: string;
}

// A number as people write it: sign, currency, thousands separators (groups of three only), decimals, percent.
// A sign counts only when it is not a binary minus ("16-3" is 16 and 3, not -3).
const NUMBER = String.raw`(?:(?<![\w.)\]])[-−+])?[$€£¥]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?%?|(?:(?<![\w.)\]])[-−+])?[$€£¥]?\.\d+`;
const NUMBER_RE = new RegExp(NUMBER, 'g');

export function parseNumber(text: string): number | undefined {
  const cleaned = text.replace(/−/g, '-').replace(/[\s$€£¥,%]/g, '');
  if (!/^[-+]?(?:\d+(?:\.\d+)?|\.\d+)$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

const FIRST_NUMBER_RE = new RegExp(NUMBER);
const ANSWER_IS_RE = /answer(?:\s*\*\*)?\s*(?:is\b|=|:)\s*(?:\*\*)?\s*[:=]?/gi;

function lastNumberIn(text: string): string | undefined {
  const all = text.match(NUMBER_RE);
  return all?.[all.length - 1];
}

function firstNumberIn(text: string): string | undefined {
  return FIRST_NUMBER_RE.exec(text)?.[0];
}

/**
 * The final numeric answer: after the last `####`, else in the last \boxed{}, else after the last "the answer is" /
 * "Answer:", else the last number in the text. Calculator annotations (GSM8K's <<2*3=6>>) are ignored.
 */
export function extractNumber(output: string): ExtractedNumber | undefined {
  const thought = stripThinking(output);
  const text = thought.includes('<<') ? thought.replace(/<<[^<>]*>>/g, '') : thought;
  // The rules in order, each tried only when those before found nothing that reads as a finite number.
  return (
    found('####', afterLast(text, lastHashes(text), firstNumberIn)) ??
    found('boxed', boxed(text)) ??
    found('answer is', afterLast(text, lastMatch(text, ANSWER_IS_RE), firstNumberIn)) ??
    found('last number', lastNumberIn(text))
  );
}

function found(rule: string, text: string | undefined): ExtractedNumber | undefined {
  if (text === undefined) return undefined;
  const value = parseNumber(text);
  return value !== undefined && Number.isFinite(value) ? { value, text: text.trim(), rule } : undefined;
}

/** Where the last `####` ends, the marks found left to right as a /####/g scan finds them; -1 without one. */
function lastHashes(text: string): number {
  let end = -1;
  for (let at = text.indexOf('####'); at >= 0; at = text.indexOf('####', at + 4)) end = at + 4;
  return end;
}

/** Where the last match of a global `marker` ends (as matchAll would find it); -1 without one. */
function lastMatch(text: string, marker: RegExp): number {
  let end = -1;
  marker.lastIndex = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    end = m.index + m[0].length;
    if (m[0] === '') marker.lastIndex++;
  }
  return end;
}

/** The first number within the first line that is not blank after `end` (the end of a marker), if a marker was found. */
function afterLast(text: string, end: number, pick: (s: string) => string | undefined): string | undefined {
  if (end < 0) return undefined;
  let line = '';
  for (let from = end; from <= text.length;) {
    const nl = text.indexOf('\n', from);
    const candidate = text.slice(from, nl < 0 ? text.length : nl);
    if (candidate.trim() !== '') {
      line = candidate;
      break;
    }
    if (nl < 0) break;
    from = nl + 1;
  }
  return pick(line);
}

function boxed(text: string): string | undefined {
  const i = text.lastIndexOf('\\boxed{');
  if (i < 0) return undefined;
  let depth = 0;
  let j = i + '\\boxed'.length;
  for (; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) break;
  }
  const inner = text
    .slice(i + '\\boxed{'.length, j)
    .replace(/\\text\{[^}]*\}|\\[,!; ]|\\\$|\\%|\{,\}/g, (m) =>
      m === '{,}' ? ',' : m.startsWith('\\text') ? '' : m === '\\$' ? '$' : '',
    );
  const frac = /^\s*(-?)\\d?frac\{(-?\d+)\}\{(\d+)\}\s*$/.exec(inner);
  if (frac) return String((frac[1] ? -1 : 1) * (Number(frac[2]) / Number(frac[3])));
  return lastNumberIn(inner);
}

/** Integers must match exactly (1,450,001 is not 1,450,000); decimals up to rounding noise (0.1 + 0.2 is 0.3). */
export function numbersEqual(a: number, b: number): boolean {
  if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** 18 → "18", 2.50 → "2.5". */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}
