/**
 * A small language guesser standing in for langdetect: the script decides for non-Latin languages (Devanagari is shared
 * by hi, mr and ne, which therefore all match it); Latin-script languages are told apart by common function words.
 */
const SCRIPTS: Array<[RegExp, string[]]> = [
  [/\p{Script=Devanagari}/gu, ['hi', 'mr', 'ne']],
  [/\p{Script=Bengali}/gu, ['bn']],
  [/\p{Script=Gurmukhi}/gu, ['pa']],
  [/\p{Script=Gujarati}/gu, ['gu']],
  [/\p{Script=Tamil}/gu, ['ta']],
  [/\p{Script=Telugu}/gu, ['te']],
  [/\p{Script=Kannada}/gu, ['kn']],
  [/\p{Script=Malayalam}/gu, ['ml']],
  [/\p{Script=Thai}/gu, ['th']],
  [/\p{Script=Hangul}/gu, ['ko']],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, ['ja']],
  [/\p{Script=Han}/gu, ['zh', 'ja']],
  [/\p{Script=Hebrew}/gu, ['he']],
  [/\p{Script=Greek}/gu, ['el']],
];
const ARABIC = /\p{Script=Arabic}/gu;
const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;

const STOPWORDS: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'of', 'to', 'in', 'that', 'it', 'with', 'for', 'you', 'are', 'this'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'ein', 'eine', 'ich', 'zu', 'mit', 'sie', 'den', 'auf', 'für'],
  es: ['el', 'la', 'que', 'de', 'y', 'en', 'los', 'es', 'por', 'una', 'con', 'para', 'las', 'del'],
  pt: ['o', 'a', 'que', 'de', 'e', 'do', 'da', 'em', 'um', 'uma', 'não', 'para', 'com', 'os', 'é', 'são'],
  it: ['il', 'di', 'che', 'e', 'la', 'un', 'una', 'per', 'non', 'sono', 'della', 'con', 'gli', 'è', 'del'],
  fr: ['le', 'la', 'les', 'de', 'et', 'est', 'un', 'une', 'des', 'pas', 'que', 'pour', 'dans', 'du', 'vous'],
  fi: ['ja', 'on', 'ei', 'se', 'että', 'hän', 'oli', 'ovat', 'kun', 'mutta', 'tai', 'myös', 'kuin', 'joka'],
  sw: ['na', 'ya', 'wa', 'kwa', 'ni', 'za', 'katika', 'la', 'kuwa', 'hii', 'cha', 'kama', 'lakini', 'pia'],
  vi: ['và', 'của', 'là', 'có', 'các', 'được', 'trong', 'không', 'một', 'những', 'cho', 'với', 'người'],
  pl: ['i', 'w', 'nie', 'na', 'się', 'jest', 'że', 'z', 'do', 'to', 'jak', 'ale', 'co', 'od'],
};

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** Whether `text` reads as language `code` (ISO 639-1). Undecidable text (no letters) counts as following, as in IFEval. */
export function looksLikeLanguage(text: string, code: string): boolean {
  const letters = count(text, /\p{L}/gu);
  if (letters === 0) return true;
  let best: { langs: string[]; n: number } = { langs: [], n: 0 };
  for (const [re, langs] of SCRIPTS) {
    const n = count(text, re);
    if (n > best.n) best = { langs, n };
  }
  const arabic = count(text, ARABIC);
  if (arabic > best.n) best = { langs: [urduOrPersianOrArabic(text)], n: arabic };
  const cyr = count(text, CYRILLIC);
  if (cyr > best.n)
    best = { langs: [/[ыэ]/i.test(text) ? 'ru' : /[іїєґ]/i.test(text) ? 'uk' : /ъ/i.test(text) ? 'bg' : 'ru'], n: cyr };
  const latin = count(text, LATIN);
  if (latin > best.n) best = { langs: [latinLanguage(text)], n: latin };
  return best.langs.includes(code);
}

function urduOrPersianOrArabic(text: string): string {
  if (/[ںےٹڈڑھ]/.test(text)) return 'ur';
  if (/[پچژگک]|ی/.test(text)) return 'fa';
  return 'ar';
}

function latinLanguage(text: string): string {
  if (/[ăâđêôơư]|[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(text)) return 'vi';
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  let best = 'en';
  let bestScore = -1;
  for (const [lang, list] of Object.entries(STOPWORDS)) {
    const set = new Set(list);
    const score = words.filter((w) => set.has(w)).length;
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return best;
}
