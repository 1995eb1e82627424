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
