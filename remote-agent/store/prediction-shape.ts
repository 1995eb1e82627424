import { PredictionSchema, type Prediction } from '../../src/common/run/records';

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
  for (const key in v) if (!Object.hasOwn(CHECKS, key) || !CHECKS[key]!(v[key])) return undefined;
  for (const key of REQUIRED) if (!Object.hasOwn(v, key)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ORDER) {
    if (!Object.hasOwn(v, key)) continue;
    const x = v[key];
    out[key] = key === 'prompt' && Array.isArray(x) ? x.map((m: { role: string; content: unknown }) => ({ role: m.role, content: m.content })) : x;
  }
  return out as Prediction;
}

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown) => typeof x === 'string';
const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const optional = (check: (x: unknown) => boolean) => (x: unknown) => x === undefined || check(x);
const nullable = (check: (x: unknown) => boolean) => (x: unknown) => x === null || check(x);
const messages = (x: unknown) =>
  Array.isArray(x) && x.every((m) => isObject(m) && Object.keys(m).length === 2 && str((m as { role?: unknown }).role) && Object.hasOwn(m, 'content'));

const CHECKS: Record<string, (x: unknown) => boolean> = {
  id: str,
  index: count,
  prompt: (x) => str(x) || messages(x),
  output: str,
  reasoning: optional(str),
  outputs: optional((x) => Array.isArray(x) && x.every(str)),
  finishReason: nullable(str),
  promptTokens: nullable(count),
  completionTokens: nullable(count),
  latencyMs: (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0,
  error: optional(str),
  truncated: optional((x) => typeof x === 'boolean'),
  verdict: optional((x) => x === 'pass' || x === 'fail' || x === 'error'),
  reason: optional(str),
  extracted: optional(str),
  reference: optional(str),
  passes: optional((x) => Array.isArray(x) && x.every((b) => typeof b === 'boolean')),
  // A `__proto__` key (JSON.parse makes it an own key) is left to zod, whose copy treats it its own way.
  details: optional((x) => isObject(x) && Object.getPrototypeOf(x) === Object.prototype && !Object.hasOwn(x, '__proto__')),
  time: str,
};
const ORDER = Object.keys(PredictionSchema.shape);
const REQUIRED = ['id', 'index', 'prompt', 'output', 'finishReason', 'promptTokens', 'completionTokens', 'latencyMs', 'time'];
