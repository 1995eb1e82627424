/** Specific reasons whose class is a fixed phrase (the part a generic cut would get wrong). */
const FIXED: Array<[RegExp, string]> = [
  [/^timeout\b/i, 'timeout'],
  [/^blocked by the sandbox/, 'blocked by the sandbox'],
  [/^sandbox failure/, 'sandbox failure'],
  [/^wrong value for /, 'wrong argument value'],
  [/^wrong function\b/, 'wrong function'],
  [/^made \d+ calls?, expected \d+/, 'wrong number of calls'],
  [/^wrong number of calls$/, 'wrong number of calls'],
  [/^called .* although no function fits$/, 'called a function although none fits'],
  [/^called a function although none fits$/, 'called a function although none fits'],
];

/**
 * The class of a verdict reason, for per-reason counts and the reason filter: "wrong answer 9 != 8" → "wrong answer",
 * "AssertionError in test 3" → "AssertionError", "timeout after 10 s (CPU time)" → "timeout", "killed: memory limit
 * (2048 MB)" → "killed: memory limit", "unparseable judgement: no [[rating]] …" → "unparseable judgement".
 * A class is its own class, so counts that are already by class (result.json) can be classed again safely.
 */
export function reasonClass(reason: string): string {
  return plainReasonClass(reason) ?? reasonClassByPatterns(reason);
}

/**
 * The class of a plain reason — printable ASCII without a parenthesis, trimmed, not starting as a special one does —
 * found without a regular expression, exactly as the patterns find it (a re-score classes a million reasons, twice);
 * undefined for any other reason. With no line break and no parenthesis, the patterns' cut is: up to the first colon,
 * then up to the first run of spaces followed by a digit, sign, quote or dollar, or by a lone capital letter.
 */
function plainReasonClass(r: string): string | undefined {
  const n = r.length;
  if (n === 0) return undefined;
  const first = r.charCodeAt(0);
  // A capital may start an exception name; the rest, by first letter, start what FIXED and `killed: ` match.
  if (first >= 0x41 && first <= 0x5a) return undefined;
  switch (first) {
    case 0x74 /* t: "timeout" in any case */:
    case 0x20:
      return undefined;
    case 0x62 /* b */:
      if (r.startsWith('blocked by the sandbox')) return undefined;
      break;
    case 0x73 /* s */:
      if (r.startsWith('sandbox failure')) return undefined;
      break;
    case 0x77 /* w */:
      if (r.startsWith('wrong value for ') || r.startsWith('wrong function') || r.startsWith('wrong number of calls'))
        return undefined;
      break;
    case 0x6d /* m */:
      if (r.startsWith('made ')) return undefined;
      break;
    case 0x63 /* c */:
      if (r.startsWith('called ')) return undefined;
      break;
    case 0x6b /* k */:
      if (r.startsWith('killed: ')) return undefined;
      break;
  }
  if (r.charCodeAt(n - 1) === 0x20) return undefined;
  let colon = -1;
  for (let i = 0; i < n; i++) {
    const c = r.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x28 /* ( */) return undefined;
    if (c === 0x3a /* : */ && colon < 0) colon = i;
  }
  const cut = colon < 0 ? r : r.slice(0, colon);
  for (let i = 0; i < cut.length; i++) {
    if (cut.charCodeAt(i) !== 0x20) continue;
    let j = i;
    while (j < cut.length && cut.charCodeAt(j) === 0x20) j++;
    if (j < cut.length && cutsHere(cut, j)) return cut.slice(0, i) || r;
    i = j - 1;
  }
  return cut || r;
}

/** Whether the class ends before the word at `j`: a digit, sign, quote or dollar, or a capital letter on its own. */
function cutsHere(cut: string, j: number): boolean {
  const c = cut.charCodeAt(j);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d /* - */ || c === 0x22 || c === 0x27 || c === 0x24) return true;
  if (c < 0x41 || c > 0x5a) return false;
  if (j + 1 === cut.length) return true;
  const d = cut.charCodeAt(j + 1);
  const word = (d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x5a) || (d >= 0x61 && d <= 0x7a) || d === 0x5f;
  return !word;
}

/** reasonClass by its rules themselves (reasonClass takes a shortcut for plain reasons; a test holds the two equal). */
export function reasonClassByPatterns(reason: string): string {
  const r = reason.trim();
  for (const [pattern, name] of FIXED) if (pattern.test(r)) return name;
  if (/^killed: /.test(r)) return r.replace(/\s*\(.*$/, '');
  const exception = /^([A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning))\b/.exec(r);
  if (exception) return exception[1]!;
  // The words before any detail: a parenthesis, a colon, then a trailing number, quote or lone capital letter.
  const cut = r.replace(/\s*\(.*$/, '').replace(/:.*$/, '');
  return cut.replace(/\s+(?:[-\d"'$].*|[A-Z]\b.*)$/, '') || r;
}

/** Whether a prediction's reason is selected by a filter that names either its class or the exact reason. */
export function reasonMatches(reason: string | undefined, filter: string): boolean {
  return reason !== undefined && (reason === filter || reasonClass(reason) === filter);
}
