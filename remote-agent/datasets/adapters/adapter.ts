import type { Dataset } from '../../../common/catalog/dataset';
import type { RawRecord } from '../read-records';
import type { SampleMeta } from '../sample-meta';
import type { ChatMessage, Sample, ToolDefinition } from '../types';

/** What an adapter makes of one record; the generic prompt builder adds template, few-shot, system prompt and truncation. */
export interface AdaptedRecord {
  /** Values the dataset's promptTemplate may name as {field}: the record's own text fields plus the adapter's. */
  fields: Record<string, string>;
  /** The prompt body in the adapter's default form for the mode (chat or completion). */
  prompt: string;
  /** The answer text that follows the prompt when this record is a few-shot example. */
  exampleAnswer: string;
  reference: string;
  referenceOutput: string;
  meta: SampleMeta;
  choices?: Sample['choices'];
  followUps?: string[];
  /** Messages the record brings itself (BFCL's conversation), placed after the system prompt. */
  messages?: ChatMessage[];
  tools?: ToolDefinition[];
  /** System prompt of the adapter, used when the dataset names none. */
  systemPrompt?: string;
  /** Images of the record as written there (a path relative to the data file, base64, a data URL, or the Hub's
   *  {bytes, path}); the loader turns them into image_url content parts of the last user message. */
  images?: unknown[];
}

export interface AdaptContext {
  chat: boolean;
  dataset: Dataset;
  id: string;
  /** Accepted answers keyed by record id (function calling's separate answer file). */
  answers?: Map<string, unknown>;
}

export interface FormatAdapter {
  adapt(record: RawRecord, ctx: AdaptContext): AdaptedRecord;
  /** Stop sequences when the dataset names none. */
  defaultStop?(chat: boolean, dataset: Dataset): string[] | undefined;
  /** Separator between few-shot examples in completion prompts. */
  exampleSeparator?: string;
}

/** A record this adapter cannot use: reported with its line and skipped. */
export class RecordError extends Error {}

export function requireString(value: Record<string, unknown>, ...names: string[]): string {
  for (const n of names) {
    const v = value[n];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
  }
  throw new RecordError(`missing field ${names.map((n) => `"${n}"`).join(' or ')}`);
}

export function optionalString(value: Record<string, unknown>, name: string): string | undefined {
  const v = value[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function requireStringArray(value: Record<string, unknown>, name: string): string[] {
  const v = value[name];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new RecordError(`field "${name}" must be a list of strings`);
  return v;
}

/** The record's top-level text and number fields, for {field} placeholders. */
export function recordFields(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  return out;
}

export function fence(code: string, lang = 'python'): string {
  return '```' + lang + '\n' + code.replace(/\n*$/, '\n') + '```';
}
