import type { ExpectedCall } from '../sample-meta';
import type { ChatMessage, ToolDefinition } from '../types';
import { RecordError, recordFields, requireString, type FormatAdapter } from './adapter';

const INSTRUCTION = [
  'You are an expert in composing functions. You are given a question and a set of possible functions.',
  'Based on the question, you will need to make one or more function calls to achieve the purpose.',
  'If none of the functions can be used, or the question lacks the parameters a function requires, make no call.',
  'Reply with only a JSON list of the calls to make, such as [{"name": "func_name", "arguments": {"param": "value"}}], and [] for no call.',
].join(' ');

/**
 * Berkeley Function Calling Leaderboard: the question file (id, question: turns of messages, function: tool definitions)
 * plus the possible-answer file named by `answersPath` (id, ground_truth). Items with no accepted answer whose id says
 * "irrelevance" (or any item when the dataset has no answer file) expect no call at all.
 */
export const functionCallingAdapter: FormatAdapter = {
  adapt({ value }, { chat, dataset, id, answers }) {
    const functions = value.function ?? value.functions;
    if (!Array.isArray(functions) || !functions.length)
      throw new RecordError('missing field "function" (a list of tool definitions)');
    const messages = conversation(value.question);
    const expected = (answers?.get(id) ?? value.ground_truth) as ExpectedCall[] | undefined;
    const irrelevant = expected === undefined && (!dataset.answersPath || /irrelevan/i.test(id));
    if (expected === undefined && !irrelevant)
      throw new RecordError(`no accepted answer for id "${id}" in ${dataset.answersPath}`);
    if (expected !== undefined && !Array.isArray(expected))
      throw new RecordError('"ground_truth" must be a list of {function: {argument: [accepted values]}}');
    const system = `${INSTRUCTION}\n\nHere is a list of functions in JSON format that you can invoke:\n${JSON.stringify(functions, null, 2)}`;
    const referenceOutput = JSON.stringify(irrelevant ? [] : (expected ?? []).map(referenceCall));
    const question = messages.map((m) => String(m.content)).join('\n');
    return {
      fields: { ...recordFields(value), question, functions: JSON.stringify(functions) },
      prompt: chat ? question : `${system}\n\nUser: ${question}\nAssistant:`,
      messages: chat ? messages : undefined,
      systemPrompt: chat ? system : undefined,
      exampleAnswer: referenceOutput,
      reference: irrelevant ? 'no function call' : JSON.stringify(expected),
      referenceOutput,
      meta: { kind: 'function_calling', functions, expected: irrelevant ? null : expected },
      tools: functions.map(toTool),
    };
  },
};

function conversation(question: unknown): ChatMessage[] {
  if (typeof question === 'string') return [{ role: 'user', content: question }];
  // BFCL: a list of turns, each a list of messages; single-turn categories have one turn.
  const turn = Array.isArray(question) && Array.isArray(question[0]) ? question[0] : question;
  if (!Array.isArray(turn) || !turn.length) throw new RecordError('missing field "question"');
  return turn.map((m) => {
    const o = (m ?? {}) as Record<string, unknown>;
    const role = o.role === 'system' || o.role === 'assistant' ? o.role : 'user';
    return { role, content: requireString(o, 'content') };
  });
}

/** The first accepted value of each argument, leaving out those that may only be omitted. */
function referenceCall(call: ExpectedCall): { name: string; arguments: Record<string, unknown> } {
  const [name, args] = Object.entries(call)[0] ?? ['', {}];
  return { name, arguments: firstAccepted(args) };
}

/** BFCL nests its notation: a dict argument maps each key to accepted values too, also inside lists. */
function firstAccepted(accepted: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, values] of Object.entries(accepted)) {
    // A value rather than "" (omit) where both are accepted: BFCL's checker still insists on required arguments.
    const first = Array.isArray(values) ? values.find((v) => v !== '') : values;
    if (first !== '' && first !== undefined) out[k] = concrete(first);
  }
  return out;
}

function concrete(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(concrete);
  if (v && typeof v === 'object') return firstAccepted(v as Record<string, unknown>);
  return v;
}

const TYPE_MAP: Record<string, string> = {
  dict: 'object',
  float: 'number',
  tuple: 'array',
  int: 'integer',
  bool: 'boolean',
  list: 'array',
  str: 'string',
};

/** BFCL's Python-flavoured JSON schema ("dict", "float", "tuple", "any") as OpenAI tool parameters. */
function toSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toSchema);
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
    if (k === 'type' && typeof v === 'string') {
      if (v !== 'any') out.type = TYPE_MAP[v] ?? v;
    } else if (k === 'properties' && v && typeof v === 'object')
      out.properties = Object.fromEntries(Object.entries(v).map(([p, d]) => [p, toSchema(d)]));
    else out[k] = toSchema(v);
  }
  return out;
}

function toTool(f: unknown): ToolDefinition {
  const o = (f ?? {}) as Record<string, unknown>;
  return {
    type: 'function',
    function: {
      name: String(o.name ?? ''),
      description: typeof o.description === 'string' ? o.description : undefined,
      parameters: (toSchema(o.parameters ?? { type: 'dict', properties: {} }) ?? {}) as Record<string, unknown>,
    },
  };
}
