import type { Dataset } from '../../common/catalog/dataset';
import type { SampleMeta } from './sample-meta';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  /** Text, or OpenAI content parts (text and image_url) for vision models. */
  content: string | Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }>;
}

/** One record of a dataset, made ready for a model: the prompt in the form the model takes, and what scoring needs. */
export interface Sample {
  /** The record's own id (task_id, else id) as a string, else its 0-based line index. */
  id: string;
  index: number;
  /** Chat messages for chat models, text for base (completion) models. */
  prompt: string | ChatMessage[];
  /** For log-likelihood multiple choice: the context and each continuation, scored via /v1/completions logprobs. */
  choices?: { context: string; continuations: string[] };
  /** The reference, as shown to people (gold answer, canonical solution, answer letter). */
  reference: string;
  /** An output a perfect model would return for this prompt: used by self-check and the reference engine. */
  referenceOutput: string;
  /** Multi-turn conversations (MT-Bench): the user turns after the first, sent one by one. */
  followUps?: string[];
  /** Adapter-specific data the scorer needs (tests, entry point, accepted answers, instructions), by kind. */
  meta: SampleMeta;
  /** Set when the prompt was cut (head and tail kept) to fit the model's context. */
  truncated?: boolean;
  /** Function calling: the tools offered, in OpenAI's `tools` form (the prompt also lists them, for models without native tools). */
  tools?: ToolDefinition[];
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface LoadProblem {
  file: string;
  line: number; // 1-based
  message: string;
}

export interface LoadedDataset {
  samples: Sample[];
  /** Broken lines, skipped: never fatal to the rest. */
  problems: LoadProblem[];
  /** Stop sequences to send with each request: the dataset's own, else the adapter's default for the mode. */
  stop?: string[];
  /** Records held back as few-shot examples (not scored). */
  fewShotCount?: number;
}

export interface LoadOptions {
  /** Directory that relative paths resolve against. */
  root: string;
  /** Chat model (messages) or base model (completion text). */
  chat: boolean;
  /** Model context in tokens; prompts longer than it are truncated keeping head and tail. */
  contextLength?: number;
  /** Only the first N scored samples (few-shot examples are not counted). */
  limit?: number;
  /** Tokens reserved for the answer when fitting the prompt into contextLength (default: the dataset's maxTokens, else 512). */
  maxTokens?: number;
  /** Where `hf:` datasets are cached (hubCacheRoot(workdir)); default ~/.cache/evalbench/datasets. */
  cacheDir?: string;
  /** The model takes images (catalog `vision`). false: a dataset with images is refused; undefined (tools): allowed. */
  vision?: boolean;
  /**
   * false: samples for scoring alone, with an empty prompt: no prompt is built, no image read, nothing truncated (so a
   * broken template or a missing image, which fail or skip a sample for generating, do not matter). Default true.
   */
  prompts?: boolean;
  /** Progress lines (Hub downloads) for the job log. */
  log?: (message: string) => void;
}

export type LoadDataset = (dataset: Dataset, options: LoadOptions) => Promise<LoadedDataset>;
