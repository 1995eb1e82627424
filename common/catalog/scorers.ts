import { z } from 'zod';

/** What a format adapter puts in a sample for its scorer (`Sample.meta.kind`). */
export const SAMPLE_KINDS = [
  'humaneval',
  'mbpp',
  'gsm8k',
  'choice',
  'function_calling',
  'instruction_following',
  'mt_bench',
  'jsonl',
  'yes_no_maybe',
  'safety',
  'multimodal',
] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** What the catalog, the plan and the report know of a scorer; its code is the agent's row in scoring/registry.ts. */
export interface ScorerDescriptor {
  /** The name of the task's main metric in results and reports. */
  metric: string;
  /** How verdicts become that metric: the pass rate (pass@1 with several completions), or a judge's mean rating. */
  aggregation: 'pass_rate' | 'mean_rating';
  /** The sample kinds it can read; `any` for a scorer that reads only the sample's reference. */
  accepts: readonly SampleKind[] | 'any';
  /** Why the dataset's own references cannot be scored by it (self-check skips them), or undefined when they can. */
  selfCheckSkip?: string;
}

/** Adding a scorer: one file under remote-agent/scoring/scorers/, one row here, one in remote-agent/scoring/registry.ts. */
export const SCORERS = {
  exact_match: { metric: 'accuracy', aggregation: 'pass_rate', accepts: 'any' },
  code_execution: { metric: 'pass@1', aggregation: 'pass_rate', accepts: ['humaneval', 'mbpp'] },
  numeric: { metric: 'accuracy', aggregation: 'pass_rate', accepts: 'any' },
  choice: { metric: 'accuracy', aggregation: 'pass_rate', accepts: ['choice'] },
  function_call: { metric: 'accuracy', aggregation: 'pass_rate', accepts: ['function_calling'] },
  instruction: { metric: 'accuracy', aggregation: 'pass_rate', accepts: ['instruction_following'] },
  judge: { metric: 'judge score', aggregation: 'mean_rating', accepts: 'any', selfCheckSkip: 'needs a judge' },
  yes_no_maybe: { metric: 'accuracy', aggregation: 'pass_rate', accepts: 'any' },
  refusal: { metric: 'accuracy', aggregation: 'pass_rate', accepts: ['safety'] },
} as const satisfies Record<string, ScorerDescriptor>;

export type ScorerName = keyof typeof SCORERS;
export const ScorerName = z.enum(Object.keys(SCORERS) as [ScorerName, ...ScorerName[]]);

export function scorerDescriptor(name: ScorerName): ScorerDescriptor {
  return SCORERS[name];
}

export function scorerAccepts(name: ScorerName, kind: SampleKind): boolean {
  const accepts = scorerDescriptor(name).accepts;
  return accepts === 'any' || accepts.includes(kind);
}
