import { datasetScorer, type Dataset, type ScorerName } from '../../common/catalog/dataset';
import { scorerDescriptor } from '../../common/catalog/scorers';
import { loadDatasetSync } from '../datasets';
import type { Sample } from '../datasets/types';
import { createScorer, metricName, type Scored, type ScorerOptions } from './index';
import { buildReport, type SampleVerdict, type ScoreReport } from './report';

export type PromptMode = 'completion' | 'chat';

export interface SelfCheckOptions extends ScorerOptions {
  /** Directory the dataset's paths resolve against (the workspace, or the cluster work directory). */
  root: string;
  /** Prompt modes whose references are scored (default both: base and chat models get different references). */
  modes?: PromptMode[];
  limit?: number;
}

export interface SelfCheckReport extends ScoreReport {
  /** Samples with nothing to check: no reference answer (IFEval without responses) or a judge needed (MT-Bench). */
  skipped: number;
  skipReason?: string;
}

/** Whether a sample's reference can be scored by this scorer without a judge or a gold response. */
function checkable(sample: Sample, scorer: ScorerName): string | undefined {
  const skip = scorerDescriptor(scorer).selfCheckSkip;
  if (skip) return skip;
  if (sample.meta.kind === 'instruction_following' && sample.meta.hasReference !== true)
    return 'no reference response in the data';
  return undefined;
}

/**
 * Scores the dataset's own references (canonical solutions, gold answers) through its adapter and scorer. A reference
 * that fails means the adapter or scorer is broken for this data: report it before any GPU time is spent.
 */
export async function selfCheckDataset(id: string, dataset: Dataset, opts: SelfCheckOptions): Promise<SelfCheckReport> {
  const modes = opts.modes ?? ['completion', 'chat'];
  const scorer = createScorer(dataset, opts);
  const samples: SampleVerdict[] = [];
  const scored: Scored[] = [];
  const problems: string[] = [];
  let skipped = 0;
  let skipReason: string | undefined;
  let sandbox: string | undefined;
  try {
    for (const mode of modes) {
      const loaded = loadDatasetSync(dataset, { root: opts.root, chat: mode === 'chat', limit: opts.limit });
      if (mode === modes[0]) problems.push(...loaded.problems.map((p) => `${p.file}:${p.line}: ${p.message}`));
      const todo = loaded.samples.filter((s) => {
        const why = checkable(s, datasetScorer(dataset));
        if (why) {
          skipped++;
          skipReason = why;
        }
        return !why;
      });
      const judgements = await Promise.all(todo.map((s) => scorer.score(s, s.referenceOutput)));
      judgements.forEach((j, i) => {
        samples.push({ id: todo[i]!.id, verdict: j.verdict, reason: j.reason, mode });
        scored.push(j);
        if (typeof j.details?.sandbox === 'string') sandbox = j.details.sandbox;
      });
    }
  } finally {
    await scorer.close();
  }
  return {
    ...buildReport(id, metricName(dataset), samples, scored, problems, sandbox),
    skipped,
    ...(skipReason ? { skipReason } : {}),
  };
}

/** The plan's warning when a dataset's references do not all pass (undefined when they do). */
export function selfCheckWarning(report: SelfCheckReport): string | undefined {
  const bad = report.samples.filter((s) => s.verdict !== 'pass');
  if (!bad.length) return undefined;
  const first = bad[0]!;
  return `dataset ${report.dataset}: ${bad.length} of ${report.n} reference answers fail their own scorer (e.g. ${first.id}${first.mode ? ` [${first.mode}]` : ''}: ${first.reason}); its scores cannot be trusted`;
}

/**
 * Why a self-check that checked nothing is a failure, or undefined when it is not: every record was invalid (its
 * problems say where and why), or the file has no record at all. Skipped samples (no reference, judge needed) are
 * not a failure.
 */
export function nothingChecked(report: SelfCheckReport): string | undefined {
  if (report.n > 0) return undefined;
  if (report.problems.length)
    return `no record could be checked: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in the data`;
  if (report.skipped === 0) return 'the dataset has no records';
  return undefined;
}
