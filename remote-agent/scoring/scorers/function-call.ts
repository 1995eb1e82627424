import type { Sample } from '../../datasets/types';
import { wrongKind } from '../../datasets/sample-meta';
import { matchCalls } from '../function-call/match';
import { parseCalls } from '../function-call/parse-calls';
import type { Judgement } from '../types';

/** BFCL-style: the calls must parse and match name and accepted argument values; irrelevance items want no call. */
export function scoreFunctionCall(sample: Sample, output: string): Judgement {
  const meta = sample.meta;
  if (meta.kind !== 'function_calling') return wrongKind('function_call', meta);
  const { expected, functions } = meta;
  const calls = parseCalls(output);
  const extracted = calls === undefined ? undefined : JSON.stringify(calls);
  if (expected === null || expected === undefined) {
    if (!calls?.length) return { verdict: 'pass', reason: 'correctly made no call', extracted };
    return {
      verdict: 'fail',
      reason: `called ${calls.map((c) => c.name).join(', ')} although no function fits`,
      extracted,
    };
  }
  if (calls === undefined) return { verdict: 'fail', reason: 'no answer extracted (no function call found)' };
  if (!calls.length) return { verdict: 'fail', reason: 'made no call, expected one', extracted };
  const why = matchCalls(calls, expected, functions);
  return why === undefined
    ? { verdict: 'pass', reason: 'correct call', extracted }
    : { verdict: 'fail', reason: why, extracted };
}
