/** IFEval's word count: runs of word characters (nltk RegexpTokenizer(r"\w+")). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}\p{M}_]+/gu)?.length ?? 0;
}

/**
 * Sentences, after IFEval's own split_into_sentences (abbreviations, initials, decimals, websites and ellipses do not end
 * a sentence). IFEval counts sentences with nltk's punkt, which this approximates.
 */
export function splitSentences(input: string): string[] {
  let text = ` ${input}  `.replace(/\n/g, ' ');
  text = text.replace(/(Mr|St|Mrs|Ms|Dr)[.]/g, '$1<prd>');
  text = text.replace(/[.](com|net|org|io|gov|edu|me)/g, '<prd>$1');
  text = text.replace(/([0-9])[.]([0-9])/g, '$1<prd>$2');
  text = text.replace(/\.{2,}/g, (m) => '<prd>'.repeat(m.length) + '<stop>');
  text = text.replace(/Ph\.D\./g, 'Ph<prd>D<prd>');
  text = text.replace(/\s([A-Za-z])[.] /g, ' $1<prd> ');
  text = text.replace(
    /([A-Z][.][A-Z][.](?:[A-Z][.])?) (Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\s|She\s|It\s|They\s|Their\s|Our\s|We\s|But\s|However\s|That\s|This\s|Wherever)/g,
    '$1<stop> $2',
  );
  text = text.replace(/([A-Za-z])[.]([A-Za-z])[.]([A-Za-z])[.]/g, '$1<prd>$2<prd>$3<prd>');
  text = text.replace(/([A-Za-z])[.]([A-Za-z])[.]/g, '$1<prd>$2<prd>');
  text = text.replace(
    / (Inc|Ltd|Jr|Sr|Co)[.] (Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\s|She\s|It\s|They\s|Their\s|Our\s|We\s|But\s|However\s|That\s|This\s|Wherever)/g,
    ' $1<stop> $2',
  );
  text = text.replace(/ (Inc|Ltd|Jr|Sr|Co)[.]/g, ' $1<prd>');
  text = text.replace(/ ([A-Za-z])[.]/g, ' $1<prd>');
  text = text.replace(/\.”/g, '”.').replace(/\."/g, '".').replace(/!"/g, '"!').replace(/\?"/g, '"?');
  text = text.replace(/\./g, '.<stop>').replace(/\?/g, '?<stop>').replace(/!/g, '!<stop>').replace(/<prd>/g, '.');
  const sentences = text.split('<stop>').map((s) => s.trim());
  if (sentences.length && !sentences[sentences.length - 1]) sentences.pop();
  return sentences;
}

export function countSentences(text: string): number {
  return splitSentences(text).filter((s) => /[\p{L}\p{N}]/u.test(s)).length;
}

/** nltk word_tokenize, roughly: words with punctuation split off, contractions split ("DON'T" → "DO", "N'T"). */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\s+/)) {
    const core = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}'’]+$/gu, '');
    if (!core) continue;
    const m = /^(.*?)(n['’]t|['’](?:s|re|ve|ll|d|m))$/i.exec(core);
    if (m && m[1]) out.push(m[1], m[2]!);
    else out.push(core);
  }
  return out;
}

/** Python's str.isupper(): at least one cased character and no lower-case one. */
export function isUpper(s: string): boolean {
  return /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);
}

export function isLower(s: string): boolean {
  return /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s);
}
