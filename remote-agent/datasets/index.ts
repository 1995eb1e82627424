import * as fs from 'fs';
import * as path from 'path';
import type { Dataset } from '../../common/catalog/dataset';
import { ADAPTERS } from './adapters';
import { RecordError, type AdaptedRecord } from './adapters/adapter';
import { buildPrompt } from './build-prompt';
import { withHubFilesLocal } from './hub/load-hub-paths';
import { attachImages } from './images/attach';
import { isHfDatasetPath } from '../../common/catalog/hf-dataset-path';
import { IdLines } from './id-lines';
import { readRecords, streamRecords, type RawRecord } from './read-records';
import { DatasetError } from './errors';
import { TemplateError } from './template';
import { sampleId } from '../../common/dataset/sample-id';
import type { LoadDataset, LoadedDataset, LoadOptions, LoadProblem, Sample } from './types';

export { readRecords } from './read-records';
export type { LoadDataset, LoadedDataset, LoadOptions, Sample } from './types';

export { DatasetError } from './errors';
export { sampleId } from '../../common/dataset/sample-id';

export function resolveDatasetPath(root: string, p: string): string {
  return path.isAbsolute(p) ? p : path.join(root, p);
}

/** Reads a dataset's file and turns each record into a Sample through its format adapter. */
export const loadDataset: LoadDataset = async (dataset, options) => {
  const local = await withHubFilesLocal(dataset, options);
  return loadDatasetSync(local, options);
};

export function loadDatasetSync(dataset: Dataset, options: LoadOptions): LoadedDataset {
  if (isHfDatasetPath(dataset.path))
    throw new DatasetError(
      `${dataset.path}: a Hub dataset is fetched by the asynchronous loadDataset, not loadDatasetSync`,
    );
  const file = resolveDatasetPath(options.root, dataset.path);
  if (!fs.existsSync(file)) throw new DatasetError(`dataset file not found: ${file}`);
  const adapter = ADAPTERS[dataset.format];
  // Records are adapted as they are parsed (a million never all in memory); the file's broken lines, which
  // `read.problems` has once every record was taken, come first among the problems, then the rest in order.
  const read = streamRecords(file);
  const problems: LoadProblem[] = [];
  const answers = dataset.answersPath
    ? readAnswers(resolveDatasetPath(options.root, dataset.answersPath), problems)
    : undefined;

  const adapt = (
    rec: RawRecord,
    index: number,
    id = sampleId(dataset, rec.value, index),
  ): AdaptedRecord | undefined => {
    try {
      return adapter.adapt(rec, { chat: options.chat, dataset, id, answers });
    } catch (e) {
      if (e instanceof RecordError) {
        problems.push({ file, line: rec.line, message: e.message });
        return undefined;
      }
      throw e;
    }
  };

  const records = read.records[Symbol.iterator]();
  let examples: AdaptedRecord[] = [];
  const shots = dataset.fewShot ?? 0;
  if (shots > 0) {
    if (dataset.fewShotPath) {
      const fewFile = resolveDatasetPath(options.root, dataset.fewShotPath);
      if (!fs.existsSync(fewFile)) throw new DatasetError(`few-shot file not found: ${fewFile}`);
      examples = readRecords(fewFile)
        .records.slice(0, shots)
        .map((r, i) => adapt(r, i))
        .filter((x): x is AdaptedRecord => x !== undefined);
    } else {
      examples = take(records, shots)
        .map((r, i) => adapt(r, i))
        .filter((x): x is AdaptedRecord => x !== undefined);
    }
    if (examples.length < shots)
      problems.push({ file, line: 0, message: `asked for ${shots} few-shot examples, found ${examples.length}` });
  }
  const offset = dataset.fewShotPath || shots === 0 ? 0 : shots;

  const samples: Sample[] = [];
  // A sample is scored once: a record repeating an earlier id is reported and skipped, never a second chance to count.
  const firstLine = new IdLines();
  for (let i = 0, next = records.next(); !next.done; i++, next = records.next()) {
    if (options.limit !== undefined && samples.length >= options.limit) {
      // The records past the limit are still read for their broken lines, as a whole read reports them.
      while (!records.next().done);
      break;
    }
    const rec = next.value;
    const index = i + offset;
    const id = sampleId(dataset, rec.value, index);
    const seenOn = firstLine.get(id);
    if (seenOn !== undefined) {
      problems.push({ file, line: rec.line, message: `duplicate id "${id}" (first on line ${seenOn}): skipped` });
      continue;
    }
    const adapted = adapt(rec, index, id);
    if (!adapted) continue;
    firstLine.set(id, rec.line);
    const sample = sampleOf(id, index, adapted, rec.line);
    if (options.prompts !== false) {
      let built;
      try {
        built = buildPrompt(dataset, adapted, examples, {
          chat: options.chat,
          contextLength: options.contextLength,
          maxTokens: options.maxTokens,
          separator: adapter.exampleSeparator,
        });
      } catch (e) {
        if (e instanceof TemplateError) throw new DatasetError(`${file}:${rec.line}: ${e.message}`);
        throw e;
      }
      sample.prompt = built.prompt;
      if (adapted.images?.length) {
        try {
          sample.prompt = attachImages(built.prompt, adapted.images, {
            baseDir: path.dirname(file),
            chat: options.chat,
            vision: options.vision,
            datasetId: dataset.path,
          });
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          problems.push({ file, line: rec.line, message: e.message });
          continue;
        }
      }
      if (built.truncated) sample.truncated = true;
    }
    samples.push(sample);
  }
  const stop = dataset.stop ?? adapter.defaultStop?.(options.chat, dataset);
  return {
    samples,
    problems: [...read.problems, ...problems],
    ...(stop ? { stop } : {}),
    ...(shots > 0 && !dataset.fewShotPath ? { fewShotCount: shots } : {}),
  };
}

function take<T>(items: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (
    let next = n > 0 ? items.next() : undefined;
    next && !next.done;
    next = out.length < n ? items.next() : undefined
  )
    out.push(next.value);
  return out;
}

/**
 * A sample as scoring needs it, its prompt still '' (the caller builds it unless the load is for scoring alone: a
 * re-score of a million predictions would build a million prompts, and read their images, to throw them away).
 */
function sampleOf(id: string, index: number, adapted: AdaptedRecord, line: number): Sample {
  // The adapter made this meta for this record alone: it takes the line in place of a copy a million times over.
  const meta = adapted.meta;
  meta.line = line;
  const sample: Sample = {
    id,
    index,
    prompt: '',
    reference: adapted.reference,
    referenceOutput: adapted.referenceOutput,
    meta,
  };
  if (adapted.choices) sample.choices = adapted.choices;
  if (adapted.followUps?.length) sample.followUps = adapted.followUps;
  if (adapted.tools) sample.tools = adapted.tools;
  return sample;
}

/** Function calling's possible-answer file: id → ground_truth. */
function readAnswers(file: string, problems: LoadProblem[]): Map<string, unknown> {
  if (!fs.existsSync(file)) throw new DatasetError(`answers file not found: ${file}`);
  const read = readRecords(file);
  problems.push(...read.problems);
  const map = new Map<string, unknown>();
  for (const r of read.records) {
    const id = r.value.id;
    if (typeof id !== 'string' && typeof id !== 'number')
      problems.push({ file, line: r.line, message: 'answer record has no "id"' });
    else map.set(String(id), r.value.ground_truth ?? r.value.answer);
  }
  return map;
}
