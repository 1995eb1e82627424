import type { Dataset } from '../../common/catalog/dataset';
import type { RunStatus, TaskResult } from '../../common/run/records';
import type { RunRecord } from '../store/run-record';

/**
 * lm-evaluation-harness names a metric `<metric>,<filter>` (lm_eval/evaluator.py: `metric + "," + filter_key`, its
 * standard error `<metric>_stderr,<filter>`). Each of our scorers maps to the metric lm-eval's own task of that kind
 * reports, so tools reading `acc,none` for MMLU or `exact_match,flexible-extract` for GSM8K find it:
 * multiple choice → acc (mmlu, arc, hellaswag, pubmedqa); numeric answers → gsm8k's exact_match with its
 * flexible-extract filter (the last number of the answer, as our extractor falls back to); code → humaneval's
 * `pass@1,create_test` or mbpp's `pass_at_1,none`; instructions → ifeval's prompt_level_strict_acc.
 */
export function lmEvalMetric(
  scorer: string,
  format: Dataset['format'] | undefined,
): { metric: string; filter: string } {
  switch (scorer) {
    case 'choice':
    case 'yes_no_maybe':
    case 'function_call':
    case 'refusal':
      return { metric: 'acc', filter: 'none' };
    case 'numeric':
      return { metric: 'exact_match', filter: 'flexible-extract' };
    case 'code_execution':
      return format === 'mbpp' ? { metric: 'pass_at_1', filter: 'none' } : { metric: 'pass@1', filter: 'create_test' };
    case 'instruction':
      return { metric: 'prompt_level_strict_acc', filter: 'none' };
    case 'judge':
      return { metric: 'score', filter: 'none' };
    default:
      return { metric: 'exact_match', filter: 'none' };
  }
}

const OUTPUT_TYPE: Record<string, string> = { choice: 'multiple_choice', yes_no_maybe: 'multiple_choice' };

/** The models of a run that have at least one scored task. */
export function scoredModels(status: RunStatus): string[] {
  return [...new Set(status.results.map((r) => r.model))];
}

/**
 * One model's results in the shape of lm-evaluation-harness's results.json (`results`, `configs`, `versions`,
 * `n-shot`, `higher_is_better`, `n-samples`, `config`): a task is a dataset; only scored tasks appear; a task whose
 * samples mostly errored keeps its score and says so in its `alias`-side `evalbench_failure`.
 */
export function renderLmEval(run: RunRecord, status: RunStatus, model: string): string {
  const results: Record<string, Record<string, unknown>> = {};
  const configs: Record<string, Record<string, unknown>> = {};
  const versions: Record<string, string> = {};
  const nShot: Record<string, number> = {};
  const higherIsBetter: Record<string, Record<string, boolean>> = {};
  const nSamples: Record<string, Record<string, number>> = {};
  const mine = status.results.filter((r) => r.model === model).sort((a, b) => a.dataset.localeCompare(b.dataset));
  for (const r of mine) {
    const dataset = run.request.datasets[r.dataset];
    const { metric, filter } = lmEvalMetric(r.scorer, dataset?.format);
    results[r.dataset] = {
      alias: r.dataset,
      [`${metric},${filter}`]: r.value,
      [`${metric}_stderr,${filter}`]: r.stderr,
      ...passAtK(r, filter),
      ...(r.failure ? { evalbench_failure: r.failure } : {}),
    };
    configs[r.dataset] = {
      task: r.dataset,
      dataset_path: dataset?.path,
      ...(dataset?.split ? { test_split: dataset.split } : {}),
      output_type: OUTPUT_TYPE[r.scorer] ?? 'generate_until',
      num_fewshot: dataset?.fewShot ?? 0,
      metric_list: [{ metric, aggregation: 'mean', higher_is_better: true }],
      metadata: { evalbench_format: dataset?.format, evalbench_scorer: r.scorer, evalbench_metric: r.metric },
    };
    versions[r.dataset] = '1.0';
    nShot[r.dataset] = dataset?.fewShot ?? 0;
    higherIsBetter[r.dataset] = { [metric]: true };
    // "original" is the dataset's size: known here only when no sample limit cut it.
    nSamples[r.dataset] = run.request.samples === undefined ? { original: r.n, effective: r.n } : { effective: r.n };
  }
  const m = run.request.models[model];
  const doc = {
    results,
    configs,
    versions,
    'n-shot': nShot,
    higher_is_better: higherIsBetter,
    'n-samples': nSamples,
    config: {
      model: m?.backend ?? 'evalbench',
      model_args: m ? `pretrained=${m.hf}${m.revision ? `,revision=${m.revision}` : ''}` : '',
      limit: run.request.samples ?? null,
      random_seed: run.provenance.seed,
      gen_kwargs: run.request.preset.generation,
    },
    model_name: m?.hf ?? model,
    date: Date.parse(run.createdAt) / 1000,
    evalbench: { runId: run.runId, model, preset: run.request.presetId, version: run.provenance.agentVersion },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** pass@k beside pass@1, named as lm-eval's code tasks name theirs (`pass@10,create_test`). */
function passAtK(r: TaskResult, filter: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.passAtK ?? {})) {
    const name = k.startsWith('pass@') ? k : `pass@${k}`;
    if (name !== 'pass@1') out[`${name},${filter}`] = v;
  }
  return out;
}
