import type { Sample } from '../../datasets/types';
import { assembleHumanEval, extractCode, stripMbppMarkers } from '../extract/code';
import type { SandboxJob } from '../sandbox/sandbox-job';

export type CodeProgram = { job: SandboxJob; extracted: string } | { none: string };

/**
 * The sandbox job for a code answer. The model's code runs alone in the sample's process; the benchmark's tests run in
 * the test process, where the names the model's code defined are proxies (see sandbox/README.md). HumanEval-style
 * samples (meta.test, meta.entryPoint, meta.prompt): the prompt plus the answer is the sample's program; the test
 * process runs the prompt (its helpers, e.g. `encode_cyclic`), then `test` and `check(entry_point)`. MBPP-style
 * samples (meta.tests): the test imports and the code in the sample's process; the imports, the setup code and the
 * asserts in the test process.
 */
export function buildCodeProgram(sample: Sample, output: string): CodeProgram {
  const meta = sample.meta;
  if (meta.kind === 'humaneval' && meta.entryPoint) {
    const entryPoint = meta.entryPoint;
    const code = extractCode(output, entryPoint);
    if (!code || !code.code.trim()) return { none: 'no answer extracted (empty output)' };
    const prompt = meta.prompt;
    const program = assembleHumanEval(prompt, entryPoint, code.code);
    return {
      extracted: program,
      job: {
        solution: [['solution.py', program]],
        context: prompt,
        tests: [['test.py', `${meta.test}\n\ncheck(${entryPoint})\n`]],
        entryPoint,
      },
    };
  }
  if (meta.kind === 'mbpp') {
    const entryPoint = meta.entryPoint;
    const code = extractCode(stripMbppMarkers(output), entryPoint);
    if (!code || !code.code.trim()) return { none: 'no answer extracted (empty output)' };
    const imports = meta.imports.length ? meta.imports.join('\n') + '\n' : '';
    const solution: Array<[string, string]> = imports.trim() ? [['prelude.py', imports]] : [];
    solution.push(['solution.py', code.code]);
    const tests: Array<[string, string]> = [];
    if (meta.setup.trim()) tests.push(['setup.py', meta.setup]);
    tests.push(['test.py', meta.tests.join('\n') + '\n']);
    return { extracted: code.code, job: { solution, context: imports, tests, ...(entryPoint ? { entryPoint } : {}) } };
  }
  return { none: 'sample has no tests to run (meta.test or meta.tests)' };
}
