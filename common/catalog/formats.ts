import { z } from 'zod';
import { scorerAccepts, SCORERS, type SampleKind, type ScorerName } from './scorers';

export const TaskType = z.enum([
  'code_generation',
  'math',
  'multiple_choice',
  'function_calling',
  'instruction_following',
  'judged',
  'generation',
  'safety',
]);
export type TaskType = z.infer<typeof TaskType>;

/** What the catalog knows of a dataset format; its adapter is the agent's row in remote-agent/datasets/adapters/index.ts. */
export interface FormatDescriptor {
  /** The task type and scorer a dataset of this format gets when it names none. */
  task: TaskType;
  scorer: ScorerName;
  /** The sample kinds its adapter produces (multimodal: choice questions, or free-form answers). */
  kinds: readonly SampleKind[];
  /** Records carry images: only models with `vision: true` can take them. */
  vision?: boolean;
}

/** Adding a format: one adapter file under remote-agent/datasets/adapters/, one row here, one in that folder's index.ts. */
export const FORMATS = {
  humaneval: { task: 'code_generation', scorer: 'code_execution', kinds: ['humaneval'] },
  mbpp: { task: 'code_generation', scorer: 'code_execution', kinds: ['mbpp'] },
  gsm8k: { task: 'math', scorer: 'numeric', kinds: ['gsm8k'] },
  multiple_choice: { task: 'multiple_choice', scorer: 'choice', kinds: ['choice'] },
  hellaswag: { task: 'multiple_choice', scorer: 'choice', kinds: ['choice'] },
  function_calling: { task: 'function_calling', scorer: 'function_call', kinds: ['function_calling'] },
  instruction_following: { task: 'instruction_following', scorer: 'instruction', kinds: ['instruction_following'] },
  mt_bench: { task: 'judged', scorer: 'judge', kinds: ['mt_bench'] },
  jsonl: { task: 'generation', scorer: 'exact_match', kinds: ['jsonl'] },
  pubmedqa: { task: 'multiple_choice', scorer: 'yes_no_maybe', kinds: ['yes_no_maybe'] },
  safety: { task: 'safety', scorer: 'refusal', kinds: ['safety'] },
  multimodal: { task: 'multiple_choice', scorer: 'choice', kinds: ['choice', 'multimodal'], vision: true },
} as const satisfies Record<string, FormatDescriptor>;

export type DatasetFormat = keyof typeof FORMATS;
export const DatasetFormat = z.enum(Object.keys(FORMATS) as [DatasetFormat, ...DatasetFormat[]]);

export function formatDescriptor(format: DatasetFormat): FormatDescriptor {
  return FORMATS[format];
}

/** The scorers that can read some sample this format produces. */
export function scorersFor(format: DatasetFormat): ScorerName[] {
  const kinds = formatDescriptor(format).kinds;
  return (Object.keys(SCORERS) as ScorerName[]).filter((s) => kinds.some((k) => scorerAccepts(s, k)));
}
