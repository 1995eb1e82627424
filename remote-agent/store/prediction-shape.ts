import type { Prediction } from '../../common/run/records';

/**
 * A fast, exact stand-in for PredictionSchema.safeParse(value).data on the values it is sure of: every key known,
 * every value of its type. It returns what zod returns — a copy with the keys in the schema's order (messages as
 * role, content) — and undefined for anything else (an unknown key zod would strip, a message with extra keys, a
 * wrong type), which the caller then hands to zod, so errors and stripping stay zod's. A re-score of a million lines
 * then checks each line without building zod's intermediate objects.
 */
export function asPlainPrediction(value: unknown): Prediction | undefined {
  if (!isObject(value)) return undefined;
  const v = value as Record<string, unknown>;
  for (const key in v) if (!fieldIsValid(key, v[key])) return undefined;
  for (const key of REQUIRED) if (!Object.hasOwn(v, key)) return undefined;
  return inSchemaOrder(v);
}

/**
 * The copy, field by field in the schema's order (a test holds it to PredictionSchema's keys): every row then gets the
 * same few hidden classes, where a loop of keyed stores would make each one a dictionary that is slow to read and to
 * stringify.
 */
function inSchemaOrder(v: Record<string, unknown>): Prediction {
  const out = {} as Record<string, unknown>;
  out.id = v.id;
  out.index = v.index;
  out.prompt = Array.isArray(v.prompt)
    ? v.prompt.map((m: { role: string; content: unknown }) => ({ role: m.role, content: m.content }))
    : v.prompt;
  out.output = v.output;
  if (Object.hasOwn(v, 'reasoning')) out.reasoning = v.reasoning;
  if (Object.hasOwn(v, 'outputs')) out.outputs = v.outputs;
  out.finishReason = v.finishReason;
  out.promptTokens = v.promptTokens;
  out.completionTokens = v.completionTokens;
  out.latencyMs = v.latencyMs;
  if (Object.hasOwn(v, 'error')) out.error = v.error;
  if (Object.hasOwn(v, 'truncated')) out.truncated = v.truncated;
  if (Object.hasOwn(v, 'verdict')) out.verdict = v.verdict;
  if (Object.hasOwn(v, 'reason')) out.reason = v.reason;
  if (Object.hasOwn(v, 'extracted')) out.extracted = v.extracted;
  if (Object.hasOwn(v, 'reference')) out.reference = v.reference;
  if (Object.hasOwn(v, 'passes')) out.passes = v.passes;
  if (Object.hasOwn(v, 'details')) out.details = v.details;
  out.time = v.time;
  return out as Prediction;
}

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown) => typeof x === 'string';
const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const messages = (x: unknown) =>
  Array.isArray(x) &&
  x.every(
    (m) =>
      isObject(m) && Object.keys(m).length === 2 && str((m as { role?: unknown }).role) && Object.hasOwn(m, 'content'),
  );

/** Whether `x` is a value zod accepts as is for the field `key` of a prediction; false for a key it does not know. */
function fieldIsValid(key: string, x: unknown): boolean {
  // A switch rather than a table of checks: each row's keys are checked in line, not through a call per key.
  switch (key) {
    case 'id':
    case 'output':
    case 'time':
      return str(x);
    case 'index':
      return count(x);
    case 'prompt':
      return str(x) || messages(x);
    case 'reasoning':
    case 'error':
    case 'reason':
    case 'extracted':
    case 'reference':
      return x === undefined || str(x);
    case 'outputs':
      return x === undefined || (Array.isArray(x) && x.every(str));
    case 'finishReason':
      return x === null || str(x);
    case 'promptTokens':
    case 'completionTokens':
      return x === null || count(x);
    case 'latencyMs':
      return typeof x === 'number' && Number.isFinite(x) && x >= 0;
    case 'truncated':
      return x === undefined || typeof x === 'boolean';
    case 'verdict':
      return x === undefined || x === 'pass' || x === 'fail' || x === 'error';
    case 'passes':
      return x === undefined || (Array.isArray(x) && x.every((b) => typeof b === 'boolean'));
    case 'details':
      // A `__proto__` key (JSON.parse makes it an own key) is left to zod, whose copy treats it its own way.
      return (
        x === undefined ||
        (isObject(x) && Object.getPrototypeOf(x) === Object.prototype && !Object.hasOwn(x, '__proto__'))
      );
    default:
      return false;
  }
}
const REQUIRED = [
  'id',
  'index',
  'prompt',
  'output',
  'finishReason',
  'promptTokens',
  'completionTokens',
  'latencyMs',
  'time',
];
