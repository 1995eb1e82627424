import { wrongKind } from '../../datasets/sample-meta';
import type { Sample } from '../../datasets/types';
import { stripThinking } from '../extract/text';
import { CHECKS, follows } from '../instructions/checks';
import type { Judgement } from '../types';

/** IFEval: pass when every instruction is followed (prompt-level strict); loose results and per-instruction detail kept. */
export function scoreInstructions(sample: Sample, output: string): Judgement {
  const meta = sample.meta;
  if (meta.kind !== 'instruction_following') return wrongKind('instruction', meta);
  const { instructions: ids, kwargs } = meta;
  const unsupported = ids.filter((id) => !(id in CHECKS));
  if (unsupported.length) return { verdict: 'error', reason: `unsupported instruction: ${unsupported.join(', ')}` };
  const response = stripThinking(output);
  const results = ids.map((id, i) => ({ id, ...follows(id, response, kwargs[i] ?? {}) }));
  const details = {
    strict: results.map((r) => r.strict),
    loose: results.map((r) => r.loose),
    looseAll: results.every((r) => r.loose),
  };
  const missed = results.filter((r) => !r.strict).map((r) => r.id);
  if (!response.trim()) return { verdict: 'fail', reason: 'no answer extracted', details };
  if (!missed.length) return { verdict: 'pass', reason: `all ${ids.length} instructions followed`, details };
  return { verdict: 'fail', reason: `not followed: ${missed.join(', ')}`, details };
}
