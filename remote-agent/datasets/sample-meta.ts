import type { SampleKind } from '../../common/catalog/scorers';

export const YES_NO_MAYBE = ['yes', 'no', 'maybe'] as const;
export type YesNoMaybe = (typeof YES_NO_MAYBE)[number];

export type SafetyLabel = 'harmful' | 'benign';

/** One expected call of BFCL's possible-answer file: function name → argument → accepted values ("" = may be omitted). */
export type ExpectedCall = Record<string, Record<string, unknown[]>>;

/** A tool definition as BFCL writes it (what the function-call scorer reads of it). */
export type FunctionDef = {
  name: string;
  parameters?: { properties?: Record<string, { type?: string }>; required?: string[] };
};

/**
 * What an adapter hands its scorer, by sample kind (SAMPLE_KINDS in common/catalog/scorers.ts). `line` is the
 * record's line in the data file, added by the loader.
 */
export type SampleMeta = { line?: number } & (
  | { kind: 'humaneval'; prompt: string; test: string; entryPoint: string; chat?: boolean }
  | { kind: 'mbpp'; tests: string[]; imports: string[]; setup: string; entryPoint?: string; chat?: boolean }
  | { kind: 'gsm8k'; answer: string }
  | {
      kind: 'choice';
      labels: string[];
      options: string[];
      answerIndex: number;
      answer: string;
      mode: 'generative' | 'loglikelihood';
    }
  | { kind: 'function_calling'; functions: FunctionDef[]; expected: ExpectedCall[] | null | undefined }
  | {
      kind: 'instruction_following';
      prompt: string;
      instructions: string[];
      kwargs: Array<Record<string, unknown> | null>;
      hasReference: boolean;
    }
  | { kind: 'mt_bench'; category?: unknown; turns: string[]; reference: string[] }
  | { kind: 'jsonl' }
  | { kind: 'yes_no_maybe'; answer: YesNoMaybe; longAnswer?: string }
  | { kind: 'safety'; label: SafetyLabel; type?: string }
  | { kind: 'multimodal'; answer: string }
);

/** The meta of one kind. */
export type MetaOf<K extends SampleKind> = Extract<SampleMeta, { kind: K }>;

// Every kind the vocabulary names has its shape here, and no other.
const _everyKind: Record<SampleKind, true> = {} as Record<SampleMeta['kind'], true>;
const _onlyKnown: SampleKind = '' as SampleMeta['kind'];
void _everyKind;
void _onlyKnown;

/** The gold answer a scorer that also reads plain references may use: the adapter's own, where its kind has one. */
export function metaAnswer(meta: SampleMeta): string | undefined {
  return meta.kind === 'gsm8k' || meta.kind === 'choice' || meta.kind === 'yes_no_maybe' || meta.kind === 'multimodal'
    ? meta.answer
    : undefined;
}

/** The scorer's error for a sample of a kind it does not read (the catalog refuses such pairings; this is the backstop). */
export function wrongKind(scorer: string, meta: SampleMeta): { verdict: 'error'; reason: string } {
  return { verdict: 'error', reason: `scorer "${scorer}" cannot read a sample of kind "${meta.kind}"` };
}

/** The meta when it is of `kind`, else undefined. */
export function asKind<K extends SampleKind>(meta: SampleMeta, kind: K): MetaOf<K> | undefined {
  return meta.kind === kind ? (meta as MetaOf<K>) : undefined;
}
