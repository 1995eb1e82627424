import {
  fence,
  optionalString,
  RecordError,
  recordFields,
  requireString,
  requireStringArray,
  type FormatAdapter,
} from './adapter';

/**
 * MBPP, plain (text, code, test_list, test_setup_code) and sanitized (prompt, code, test_list, test_imports).
 * The base prompt is the paper's ("You are an expert Python programmer…[BEGIN]"), ending at [DONE].
 */
export const mbppAdapter: FormatAdapter = {
  adapt({ value }, { chat }) {
    const text = requireString(value, 'text', 'prompt');
    const tests = requireStringArray(value, 'test_list');
    if (!tests.length) throw new RecordError('"test_list" is empty');
    const imports = Array.isArray(value.test_imports)
      ? value.test_imports.filter((x): x is string => typeof x === 'string')
      : [];
    const setup = optionalString(value, 'test_setup_code') ?? '';
    const code = optionalString(value, 'code') ?? '';
    const testText = tests.join('\n');
    const base = `You are an expert Python programmer, and here is your task: ${text} Your code should pass these tests:\n\n${testText}\n[BEGIN]\n`;
    const instruct = `${text}\nYour code should pass these tests:\n\n${testText}\n\nReply with the Python code in a \`\`\`python code block.`;
    return {
      fields: { ...recordFields(value), text, tests: testText },
      prompt: chat ? instruct : base,
      exampleAnswer: chat ? fence(code) : `${code}\n[DONE]`,
      reference: code,
      referenceOutput: chat ? fence(code) : `${code}\n[DONE]`,
      meta: { kind: 'mbpp', tests, imports, setup, entryPoint: entryPointFromTests(tests), chat },
    };
  },
  defaultStop: (chat) => (chat ? undefined : ['[DONE]']),
};

/** The function the asserts call: `assert f(…)`, `assert set(f(…))`, `assert math.isclose(f(…), …)`. */
export function entryPointFromTests(tests: string[]): string | undefined {
  const builtins = new Set([
    'set',
    'sorted',
    'list',
    'tuple',
    'abs',
    'round',
    'int',
    'float',
    'str',
    'len',
    'isclose',
    'math',
    'sum',
    'frozenset',
    'dict',
    'all',
    'any',
    'bool',
    'type',
    'isinstance',
    'not',
  ]);
  for (const t of tests) {
    for (const m of t.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
      const name = m[1]!;
      const before = t.slice(0, m.index);
      if (!builtins.has(name) && !before.endsWith('.')) return name;
    }
  }
  return undefined;
}
