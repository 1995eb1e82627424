import type { Prediction } from '../../common/run/records';

/**
 * A fast, exact stand-in for PredictionSchema.safeParse(value).data on the values it is sure of: every key known,
 * every value of its type. It returns what zod returns — a copy with the keys in the schema's order (messages as
 * role, content), or the value itself where it is already in that order — and undefined for anything else (an
 * unknown key zod would strip, a message with extra keys, a wrong type), which the caller then hands to zod, so
 * errors and stripping stay zod's. A re-score of a million lines then checks each line without building zod's
 * intermediate objects.
 */
export function asPlainPrediction(value: unknown): Prediction | undefined {
  if (!isObject(value)) return undefined;
  const v = value as Record<string, unknown>;
  let last = -1;
  let ordered = true;
  // Bit r set: the field of rank r is there.
  let present = 0;
  for (const key in v) {
    const rank = fieldRank(key, v[key]);
    if (rank < 0) return undefined;
    if (rank <= last) ordered = false;
    last = rank;
    present |= 1 << rank;
  }
  if ((present & REQUIRED) !== REQUIRED) return undefined;
  // A value already as the copy would be (a line the job wrote) is that copy: a million rows then copy nothing.
  return ordered && promptInOrder(v.prompt) ? (v as Prediction) : inSchemaOrder(v, present);
}

/** Whether a prompt's messages already have their keys as role, content (a string prompt has no keys). */
function promptInOrder(prompt: unknown): boolean {
  if (!Array.isArray(prompt)) return true;
  for (const m of prompt as object[]) {
    for (const key in m) {
      if (key !== 'role') return false;
      break;
    }
  }
  return true;
}

/**
 * The copy, field by field in the schema's order (a test holds it to PredictionSchema's keys): every row then gets the
 * same few hidden classes, where a loop of keyed stores would make each one a dictionary that is slow to read and to
 * stringify.
 */
function inSchemaOrder(v: Record<string, unknown>, present: number): Prediction {
  const out = {} as Record<string, unknown>;
  out.id = v.id;
  out.index = v.index;
  out.prompt = Array.isArray(v.prompt)
    ? v.prompt.map((m: { role: string; content: unknown }) => ({ role: m.role, content: m.content }))
    : v.prompt;
  out.output = v.output;
  if (present & (1 << 4)) out.reasoning = v.reasoning;
  if (present & (1 << 5)) out.outputs = v.outputs;
  out.finishReason = v.finishReason;
  out.promptTokens = v.promptTokens;
  out.completionTokens = v.completionTokens;
  out.latencyMs = v.latencyMs;
  if (present & (1 << 10)) out.error = v.error;
  if (present & (1 << 11)) out.truncated = v.truncated;
  if (present & (1 << 12)) out.verdict = v.verdict;
  if (present & (1 << 13)) out.reason = v.reason;
  if (present & (1 << 14)) out.extracted = v.extracted;
  if (present & (1 << 15)) out.reference = v.reference;
  if (present & (1 << 16)) out.passes = v.passes;
  if (present & (1 << 17)) out.details = v.details;
  out.time = v.time;
  return out as Prediction;
}

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown) => typeof x === 'string';
const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
function messages(x: unknown): boolean {
  if (!Array.isArray(x)) return false;
  for (const m of x as unknown[]) {
    if (!isObject(m) || !str((m as { role?: unknown }).role) || !Object.hasOwn(m, 'content')) return false;
    let keys = 0;
    for (const key in m) if (Object.hasOwn(m, key)) keys++;
    if (keys !== 2) return false;
  }
  return true;
}

/**
 * Where `key` comes in the schema's order when `x` is a value zod accepts as is for it; -1 for a value it does not
 * accept and for a key it does not know.
 */
function fieldRank(key: string, x: unknown): number {
  // A switch rather than a table of checks: each row's keys are checked in line, not through a call per key.
  switch (key) {
    case 'id':
      return str(x) ? 0 : -1;
    case 'index':
      return count(x) ? 1 : -1;
    case 'prompt':
      return str(x) || messages(x) ? 2 : -1;
    case 'output':
      return str(x) ? 3 : -1;
    case 'reasoning':
      return optionalStr(x) ? 4 : -1;
    case 'outputs':
      return x === undefined || (Array.isArray(x) && x.every(str)) ? 5 : -1;
    case 'finishReason':
      return x === null || str(x) ? 6 : -1;
    case 'promptTokens':
      return x === null || count(x) ? 7 : -1;
    case 'completionTokens':
      return x === null || count(x) ? 8 : -1;
    case 'latencyMs':
      return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? 9 : -1;
    case 'error':
      return optionalStr(x) ? 10 : -1;
    case 'truncated':
      return x === undefined || typeof x === 'boolean' ? 11 : -1;
    case 'verdict':
      return x === undefined || x === 'pass' || x === 'fail' || x === 'error' ? 12 : -1;
    case 'reason':
      return optionalStr(x) ? 13 : -1;
    case 'extracted':
      return optionalStr(x) ? 14 : -1;
    case 'reference':
      return optionalStr(x) ? 15 : -1;
    case 'passes':
      return x === undefined || (Array.isArray(x) && x.every((b) => typeof b === 'boolean')) ? 16 : -1;
    case 'details':
      // A `__proto__` key (JSON.parse makes it an own key) is left to zod, whose copy treats it its own way.
      return x === undefined ||
        (isObject(x) && Object.getPrototypeOf(x) === Object.prototype && !Object.hasOwn(x, '__proto__'))
        ? 17
        : -1;
    case 'time':
      return str(x) ? 18 : -1;
    default:
      return -1;
  }
}
const optionalStr = (x: unknown) => x === undefined || str(x);
/** The ranks of the fields zod requires (id, index, prompt, output, finishReason, the token counts, latencyMs, time). */
const REQUIRED = [0, 1, 2, 3, 6, 7, 8, 9, 18].reduce((mask, rank) => mask | (1 << rank), 0);
