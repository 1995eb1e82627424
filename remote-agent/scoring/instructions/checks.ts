import { looksLikeLanguage } from './language';
import { countSentences, countWords, isLower, isUpper, wordTokens } from './text-units';

type Kwargs = Record<string, unknown>;
type Check = (response: string, kw: Kwargs) => boolean;

const num = (kw: Kwargs, k: string): number => Number(kw[k]);
const str = (kw: Kwargs, k: string): string => String(kw[k] ?? '');
function compare(actual: number, relation: unknown, threshold: number): boolean {
  return relation === 'less than' ? actual < threshold : actual >= threshold;
}
/** Python's re.search with the keyword as a pattern (IFEval does that); a pattern JS cannot read is matched literally. */
function pattern(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch {
    return new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  }
}

/** IFEval's checkers, reimplemented from the instruction definitions. The keys are the supported instruction ids. */
export const CHECKS: Record<string, Check> = {
  'keywords:existence': (r, kw) => ((kw.keywords as string[] | undefined) ?? []).every((k) => pattern(k, 'i').test(r)),
  'keywords:frequency': (r, kw) =>
    compare(r.match(pattern(str(kw, 'keyword').trim(), 'gi'))?.length ?? 0, kw.relation, num(kw, 'frequency')),
  'keywords:forbidden_words': (r, kw) =>
    ((kw.forbidden_words as string[] | undefined) ?? []).every((w) => !pattern(`\\b${w}\\b`, 'i').test(r)),
  'keywords:letter_frequency': (r, kw) => {
    const letter = str(kw, 'letter').toLowerCase();
    const n = [...r.toLowerCase()].filter((c) => c === letter).length;
    return compare(n, kw.let_relation, num(kw, 'let_frequency'));
  },
  'language:response_language': (r, kw) => looksLikeLanguage(r, str(kw, 'language')),
  'length_constraints:number_sentences': (r, kw) => compare(countSentences(r), kw.relation, num(kw, 'num_sentences')),
  'length_constraints:number_paragraphs': (r, kw) => {
    const paragraphs = r.split(/\s?\*\*\*\s?/);
    let n = paragraphs.length;
    for (let i = 0; i < paragraphs.length; i++) {
      if (paragraphs[i]!.trim()) continue;
      if (i === 0 || i === paragraphs.length - 1) n--;
      else return false;
    }
    return n === num(kw, 'num_paragraphs');
  },
  'length_constraints:number_words': (r, kw) => compare(countWords(r), kw.relation, num(kw, 'num_words')),
  'length_constraints:nth_paragraph_first_word': (r, kw) => {
    const paragraphs = r.split('\n\n');
    const n = paragraphs.filter((p) => p.trim()).length;
    const nth = num(kw, 'nth_paragraph');
    if (nth > n) return false;
    const para = paragraphs[nth - 1]?.trim();
    if (!para) return false;
    const word = (para.split(/\s+/)[0] ?? '').replace(/^['"]+/, '');
    let first = '';
    for (const c of word) {
      if ('.,?!\'"'.includes(c)) break;
      first += c.toLowerCase();
    }
    return n === num(kw, 'num_paragraphs') && first === str(kw, 'first_word').toLowerCase();
  },
  'detectable_content:number_placeholders': (r, kw) =>
    (r.match(/\[.*?\]/g)?.length ?? 0) >= num(kw, 'num_placeholders'),
  'detectable_content:postscript': (r, kw) => {
    const marker = str(kw, 'postscript_marker').trim();
    const re =
      marker === 'P.P.S'
        ? /\s*p\.\s?p\.\s?s.*$/m
        : marker === 'P.S.'
          ? /\s*p\.\s?s\..*$/m
          : pattern(`\\s*${marker.toLowerCase()}.*$`, 'm');
    return re.test(r.toLowerCase());
  },
  'detectable_format:number_bullet_lists': (r, kw) =>
    (r.match(/^\s*\*[^*].*$/gm)?.length ?? 0) + (r.match(/^\s*-.*$/gm)?.length ?? 0) === num(kw, 'num_bullets'),
  'detectable_format:constrained_response': (r) =>
    ['My answer is yes.', 'My answer is no.', 'My answer is maybe.'].some((o) => r.trim().includes(o)),
  'detectable_format:number_highlighted_sections': (r, kw) => {
    const single = (r.match(/\*[^\n*]*\*/g) ?? []).filter((h) => h.replace(/^\*+|\*+$/g, '').trim()).length;
    const double = (r.match(/\*\*[^\n*]*\*\*/g) ?? []).filter((h) => h.slice(2, -2).trim()).length;
    return single + double >= num(kw, 'num_highlights');
  },
  'detectable_format:multiple_sections': (r, kw) =>
    r.split(pattern(`\\s?${str(kw, 'section_spliter').trim()}\\s?\\d+\\s?`, '')).length - 1 >= num(kw, 'num_sections'),
  'detectable_format:json_format': (r) => {
    const v = r
      .trim()
      .replace(/^```(?:json|Json|JSON)?/, '')
      .replace(/```$/, '')
      .trim();
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  'detectable_format:title': (r) => (r.match(/<<[^\n]+>>/g) ?? []).some((t) => t.replace(/^<+|>+$/g, '').trim() !== ''),
  'combination:two_responses': (r) => {
    const parts = r.split('******');
    const valid: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i]!.trim()) valid.push(parts[i]!);
      else if (i !== 0 && i !== parts.length - 1) return false;
    }
    return valid.length === 2 && valid[0]!.trim() !== valid[1]!.trim();
  },
  'combination:repeat_prompt': (r, kw) =>
    r.trim().toLowerCase().startsWith(str(kw, 'prompt_to_repeat').trim().toLowerCase()),
  'startend:end_checker': (r, kw) =>
    r
      .trim()
      .replace(/^"+|"+$/g, '')
      .toLowerCase()
      .endsWith(str(kw, 'end_phrase').trim().toLowerCase()),
  'startend:quotation': (r) => {
    const v = r.trim();
    return v.length > 1 && v[0] === '"' && v[v.length - 1] === '"';
  },
  // IFEval also asks langdetect for English here; the case check decides.
  'change_case:english_capital': (r) => isUpper(r),
  'change_case:english_lowercase': (r) => isLower(r),
  'change_case:capital_word_frequency': (r, kw) =>
    compare(wordTokens(r).filter(isUpper).length, kw.capital_relation, num(kw, 'capital_frequency')),
  'punctuation:no_comma': (r) => !r.includes(','),
};

/** Checks that approximate IFEval's (no langdetect or punkt on the agent). */
export const APPROXIMATE = [
  'language:response_language',
  'length_constraints:number_sentences',
  'change_case:english_capital',
  'change_case:english_lowercase',
  'change_case:capital_word_frequency',
];

export const SUPPORTED_INSTRUCTIONS = Object.keys(CHECKS);

/** IFEval's loose variants: the response with its first and/or last line dropped, and with asterisks removed. */
export function looseVariants(response: string): string[] {
  const lines = response.split('\n');
  const first = lines.slice(1).join('\n').trim();
  const last = lines.slice(0, -1).join('\n').trim();
  const both = lines.slice(1, -1).join('\n').trim();
  const variants = [response, first, last, both];
  return [...variants, ...variants.map((v) => v.replace(/\*/g, ''))];
}

/** Whether the response follows instruction `id`: strict on the response, loose on any variant. Empty responses never do. */
export function follows(id: string, response: string, kwargs: Kwargs): { strict: boolean; loose: boolean } {
  const check = CHECKS[id]!;
  const clean = Object.fromEntries(Object.entries(kwargs).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  const run = (r: string): boolean => r.trim() !== '' && check(r, clean);
  const strict = run(response);
  return { strict, loose: strict || looseVariants(response).some(run) };
}
