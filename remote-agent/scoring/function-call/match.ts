import type { ExpectedCall, FunctionDef } from '../../datasets/sample-meta';
import type { ParsedCall } from './python-call';

/** BFCL's string normalisation: case, spaces and punctuation ,./-_*^ do not matter; ' and " are the same quote. */
export function standardiseString(s: string): string {
  return s
    .replace(/[ ,./\-_*^]/g, '')
    .toLowerCase()
    .replace(/'/g, '"');
}

/** Dots in names become underscores for models whose APIs forbid dots: both spellings are accepted. */
function sameName(a: string, b: string): boolean {
  return a === b || a.replace(/\./g, '_') === b.replace(/\./g, '_');
}

function valueMatches(actual: unknown, accepted: unknown, type?: string): boolean {
  if (typeof accepted === 'string' && typeof actual === 'string')
    return standardiseString(actual) === standardiseString(accepted);
  if (typeof accepted === 'number' && typeof actual === 'number')
    return actual === accepted && !(type === 'integer' && !Number.isInteger(actual));
  if (Array.isArray(accepted) && Array.isArray(actual))
    return accepted.length === actual.length && accepted.every((a, i) => valueMatches(actual[i], a));
  if (accepted && typeof accepted === 'object' && actual && typeof actual === 'object' && !Array.isArray(actual)) {
    const acc = accepted as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    for (const [k, v] of Object.entries(acc)) {
      const options = Array.isArray(v) ? v : [v];
      if (!(k in act)) {
        if (options.includes('')) continue;
        return false;
      }
      if (!options.some((o) => valueMatches(act[k], o))) return false;
    }
    return Object.keys(act).every((k) => k in acc);
  }
  return actual === accepted;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** Why `call` does not satisfy `expected` (undefined when it does), checked as BFCL's AST checker does. */
export function callMismatch(call: ParsedCall, expected: ExpectedCall, functions: FunctionDef[]): string | undefined {
  const [name, args] = Object.entries(expected)[0] ?? ['', {}];
  if (!sameName(call.name, name)) return `wrong function ${call.name}, expected ${name}`;
  const def = functions.find((f) => sameName(f.name, name));
  const props = def?.parameters?.properties ?? {};
  for (const req of def?.parameters?.required ?? [])
    if (!(req in call.arguments)) return `missing required argument "${req}"`;
  for (const k of Object.keys(call.arguments)) {
    if (k.startsWith('$')) return `positional argument ${show(call.arguments[k])}: arguments must be named`;
    if (def && !(k in props)) return `unexpected argument "${k}"`;
    if (!(k in args)) return `unexpected argument "${k}"`;
  }
  for (const [k, acceptedRaw] of Object.entries(args)) {
    const accepted = Array.isArray(acceptedRaw) ? acceptedRaw : [acceptedRaw];
    if (!(k in call.arguments)) {
      if (accepted.includes('')) continue;
      return `missing argument "${k}"`;
    }
    const actual = call.arguments[k];
    const type = props[k]?.type;
    // Python accepts an int where a float is declared (BFCL does too); the reverse is a type error.
    if (type === 'float' && typeof actual === 'number') {
      if (!accepted.some((a) => typeof a === 'number' && a === actual))
        return `wrong value for "${k}": ${show(actual)} (accepted: ${accepted.map(show).join(', ')})`;
      continue;
    }
    if (!accepted.some((a) => a !== '' && valueMatches(actual, a, type)))
      return `wrong value for "${k}": ${show(actual)} (accepted: ${accepted
        .filter((a) => a !== '')
        .map(show)
        .join(', ')})`;
  }
  return undefined;
}

/** Every expected call matched by a distinct actual call, in any order (parallel calls), and no extra calls. */
export function matchCalls(
  calls: ParsedCall[],
  expected: ExpectedCall[],
  functions: FunctionDef[],
): string | undefined {
  if (calls.length !== expected.length)
    return `made ${calls.length} call${calls.length === 1 ? '' : 's'}, expected ${expected.length}`;
  const used = new Set<number>();
  for (const e of expected) {
    let firstWhy: string | undefined;
    const i = calls.findIndex((c, j) => {
      if (used.has(j)) return false;
      const why = callMismatch(c, e, functions);
      firstWhy ??= why;
      return why === undefined;
    });
    if (i < 0) return firstWhy ?? 'no matching call';
    used.add(i);
  }
  return undefined;
}
