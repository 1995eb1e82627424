import * as path from 'path';
import { expandPlan } from '../../common/run/plan';
import { describePlanDataset } from '../../common/run/dataset-files';
import { locateDatasetFiles } from '../runs/dataset-locations';
import { missingImageErrors } from '../runs/plan-images';
import { workspaceDatasetFiles } from '../runs/stage-files';
import { weightsLine } from '../../common/run/plan-weights-text';
import { resolveHfHome } from '../models/hf-home';
import { inspectModels } from '../models/inspect';
import { resolveWorkdir } from '../runs/workdir';
import type { Plan } from '../../common/run/plan-schema';
import { Args, CliError } from '../cli/args';
import type { Command } from '../cli/command';
import { JUDGE_USAGE, judgeFromArgs } from '../cli/judge-args';
import { JSON_OPTION, JUDGE_OPTIONS, SELECTION_OPTIONS, WORKSPACE_OPTION } from '../cli/options';
import { loadValidCatalog } from '../workspace/load';
import { selfCheckFailures } from '../runs/plan-selfcheck';
import { checkpointQuantizations } from '../runs/checkpoint-config';
import type { Catalog } from '../../common/catalog/files';
import type { Selection } from '../../common/run/request';
import { choosePreset, clusterProfile, inspectDatasets, selectionFromArgs } from '../workspace/selection';

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what a run would do: tasks, jobs, GPUs, GPU-hours and warnings; submits nothing',
  usage: `--workspace DIR (--category C | --models a,b --datasets x,y) [--preset P] [--samples N] [--target PROFILE] ${JUDGE_USAGE} [--json]`,
  options: {
    ...WORKSPACE_OPTION,
    ...SELECTION_OPTIONS,
    target: {
      type: 'string',
      value: 'PROFILE',
      help: 'plan for this cluster profile of .evalbench/clusters.jsonc (its GPUs and partitions)',
    },
    ...JUDGE_OPTIONS,
    ...JSON_OPTION,
  },
  details: 'Exit status: 0 when the selection plans, 2 when it does not (unknown ids, a dataset file missing).',
  run: runPlan,
};

async function runPlan(args: Args): Promise<number> {
  const workspace = args.required('workspace');
  const { catalog } = loadValidCatalog(workspace);
  const selection = selectionFromArgs(args);
  const { id: presetId, preset } = choosePreset(catalog, selection, args.string('preset'));
  const targetId = args.string('target');
  const cluster = targetId === undefined ? undefined : clusterProfile(catalog, targetId);
  const datasetIds = Object.keys(catalog.datasets);
  const { sizes } = inspectDatasets(catalog, datasetIds, workspace);
  const selected = selectedDatasets(catalog, selection);
  const failures = await selfCheckFailures(catalog.datasets, selected, workspace, cluster?.python);
  // Where a run of this machine's target would read each file: workspace files are copied into its work directory.
  const datasets = Object.fromEntries(selected.map((d) => [d, catalog.datasets[d]!]));
  const staged = await workspaceDatasetFiles({ datasets }, workspace);
  const workdir = cluster && !cluster.host ? resolveWorkdir(cluster.workdir, workspace) : workspace;
  const located = { datasets, datasetFiles: staged.files, datasetImages: staged.images, workspaceRoot: workspace };
  const files = locateDatasetFiles(located, workdir, workspace);
  const result = expandPlan(catalog, {
    selection,
    preset,
    cluster,
    samples: args.int('samples'),
    datasetSizes: sizes,
    datasetFiles: files,
    selfCheckFailures: failures,
    hfTokenAvailable: process.env.HF_TOKEN ? true : undefined,
    judge: judgeFromArgs(args),
    checkpointQuantization: checkpointQuantizations(catalog.models),
  });
  if (!result.ok) throw new CliError(result.errors.join('\n'), 2);
  const imageErrors = missingImageErrors(located, files);
  if (imageErrors.length) result.plan.errors = [...(result.plan.errors ?? []), ...imageErrors];
  if (cluster) {
    // With a target, the plan also says where each model's weights come from (the profile's HF_HOME, the Hub).
    const hfHome = resolveHfHome(cluster, resolveWorkdir(cluster.workdir, path.resolve(workspace)));
    const inspection = await inspectModels(
      catalog.models,
      result.plan.jobs.map((j) => j.model),
      { hfHome, offlineNodes: cluster.offlineNodes },
    );
    if (inspection.errors.length) throw new CliError(inspection.errors.join('\n'), 2);
    result.plan.models = inspection.models;
  }
  if (args.has('json')) {
    process.stdout.write(JSON.stringify({ preset: presetId, ...result.plan }) + '\n');
  } else {
    process.stdout.write(renderPlan(result.plan, presetId));
  }
  return result.plan.errors?.length ? 1 : 0;
}

export function renderPlan(plan: Plan, presetId: string): string {
  const lines: string[] = [];
  lines.push(
    `plan: ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'} in ${plan.jobs.length} job${plan.jobs.length === 1 ? '' : 's'}, ${plan.totalGpus} GPU${plan.totalGpus === 1 ? '' : 's'}, about ${plan.estimatedGpuHours} GPU-hours (preset ${presetId})`,
  );
  for (const job of plan.jobs) {
    lines.push(
      `  job ${job.model}: ${job.gpus} GPU${job.gpus === 1 ? '' : 's'} (tp ${job.tensorParallel}), ~${job.estimatedGpuHours} GPU-h`,
    );
    const weights = weightsLine(plan, job.model);
    if (weights) lines.push(`    weights: ${weights}`);
    for (const t of plan.tasks.filter((t) => t.model === job.model)) {
      lines.push(`    ${t.dataset}: ${t.samples ?? '?'} samples`);
    }
  }
  if (plan.datasets?.length) {
    lines.push('datasets:');
    for (const d of plan.datasets) lines.push(`  ${describePlanDataset(d)}`);
  }
  if (plan.warnings.length) {
    lines.push(`warnings (${plan.warnings.length}):`);
    for (const w of plan.warnings) lines.push(`  ! ${w.model ? `[${w.model}] ` : ''}${w.message}`);
  }
  if (plan.errors?.length) {
    lines.push(`errors (${plan.errors.length}): nothing can be submitted until they are fixed`);
    for (const e of plan.errors) lines.push(`  ✗ ${e}`);
  }
  return lines.join('\n') + '\n';
}

/** The datasets a selection names (unknown ids are left to the plan to report). */
function selectedDatasets(catalog: Catalog, selection: Selection): string[] {
  const fromCategory = selection.category !== undefined ? (catalog.categories[selection.category]?.datasets ?? []) : [];
  const ids = selection.datasets?.length ? selection.datasets : fromCategory;
  return ids.filter((d) => catalog.datasets[d] !== undefined);
}
