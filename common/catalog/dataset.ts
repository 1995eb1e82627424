import { z } from 'zod';
import { DatasetFormat, formatDescriptor, scorersFor, TaskType } from './formats';
import { Revision } from './model-source';
import { ScorerName } from './scorers';
import { isHfDatasetPath, parseHfDatasetPath } from './hf-dataset-path';

export { DatasetFormat } from './formats';
export { TaskType } from './formats';
export { ScorerName } from './scorers';

export const FieldMapping = z
  .strictObject({
    id: z.string().optional().describe('Field holding the sample id.'),
    prompt: z.string().describe('Field holding the prompt text.'),
    reference: z.string().optional().describe('Field holding the reference answer.'),
  })
  .describe('For format "jsonl": which record fields hold the id, the prompt and the reference.');

export const DatasetSchema = z
  .strictObject({
    format: DatasetFormat.describe('Format adapter: how a record becomes a prompt and a reference.'),
    path: z
      .string()
      .min(1)
      .describe(
        'Data file (.jsonl, .json, .csv, optionally .gz), relative to the workspace or the cluster work directory; or hf:owner/name[:config]@split.',
      ),
    clusterPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The same data file already on the cluster (a shared file system): the job reads it there and nothing is uploaded. Absolute, or relative to the work directory; ~ and $VAR are expanded on the cluster.',
      ),
    task: TaskType.optional().describe('Task type; derived from the format when absent.'),
    split: z.string().optional().describe('Dataset split, e.g. "test".'),
    revision: Revision.optional().describe(
      'hf: datasets: the Git revision (branch, tag or commit) of the repository whose files are read; default: the Parquet conversion, else main.',
    ),
    answersPath: z.string().optional().describe('Separate file of accepted answers (function calling).'),
    promptTemplate: z
      .string()
      .optional()
      .describe('Template with {field} placeholders; the adapter default when absent.'),
    systemPrompt: z.string().optional().describe('System message for chat models.'),
    fewShot: z.number().int().min(0).default(0).describe('Number of few-shot examples put before each prompt.'),
    fewShotPath: z
      .string()
      .optional()
      .describe(
        'File the few-shot examples come from (default: the first records of the dataset itself, excluded from scoring).',
      ),
    scorer: ScorerName.optional().describe('Scorer; derived from the format when absent.'),
    mode: z
      .enum(['generative', 'loglikelihood'])
      .default('generative')
      .describe(
        'Multiple choice: extract the answer from generated text, or compare the log-likelihood of each choice.',
      ),
    maxTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Maximum tokens generated per sample (overrides the preset).'),
    stop: z.array(z.string()).optional().describe('Stop sequences.'),
    fields: FieldMapping.optional(),
    samples: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Number of samples in the file, when known (shown in the tree and the plan).'),
    judge: z.string().optional().describe('Judge model id (a catalog model) for judged datasets.'),
    description: z.string().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.scorer && !scorersFor(d.format).includes(d.scorer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scorer'],
        message: `scorer "${d.scorer}" cannot read the samples of format "${d.format}" (${formatDescriptor(d.format).kinds.join(', ')}); it takes: ${scorersFor(d.format).join(', ')}`,
      });
    }
    if (d.format === 'jsonl' && !d.fields) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: 'format "jsonl" needs a "fields" mapping ({"prompt": …, "reference": …})',
      });
    }
    for (const key of ['path', 'fewShotPath', 'answersPath'] as const) {
      const p = d[key];
      if (p === undefined || !isHfDatasetPath(p)) continue;
      const parsed = parseHfDatasetPath(p);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [key], message: parsed.message });
      else if (!parsed.value.split && !d.split)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${p}" names no split: add @split (e.g. ${p}@test) or a "split" field`,
        });
    }
  });
export type Dataset = z.infer<typeof DatasetSchema>;

export function datasetTask(d: Dataset): TaskType {
  return d.task ?? formatDescriptor(d.format).task;
}

export function datasetScorer(d: Dataset): ScorerName {
  return d.scorer ?? formatDescriptor(d.format).scorer;
}

/** Datasets whose records carry images: only models with `vision: true` can take them. */
export function datasetNeedsVision(d: Pick<Dataset, 'format'>): boolean {
  return formatDescriptor(d.format).vision === true;
}
