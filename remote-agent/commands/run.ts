import * as path from 'path';
import type { Args } from '../cli/args';
import { CliError, UsageError } from '../cli/args';
import { JUDGE_USAGE, judgeFromArgs } from '../cli/judge-args';
import { JSON_OPTION, JUDGE_OPTIONS, SELECTION_OPTIONS, WORKSPACE_OPTION } from '../cli/options';
import type { Command } from '../cli/command';
import { requestFromWorkspace } from '../runs/request-from-workspace';
import { submitRun } from '../runs/submit';
import { copyStagedFiles, stagedRequestFields, workspaceDatasetFiles } from '../runs/stage-files';
import { transferProgress } from '../progress/transfer';
import { formatBytes } from '../../common/run/dataset-files';
import { resolveWorkdir } from '../runs/workdir';
import { loadValidCatalog } from '../workspace/load';
import { choosePreset, selectionFromArgs } from '../workspace/selection';
import { followOnStderr } from '../progress/cli';
import { exitCodeOf } from './follow';
import { renderStatus } from './render-status';

export const runCommand: Command = {
  name: 'run',
  summary: 'plan and submit an evaluation on this machine or the cluster you are logged in to',
  usage: `--workspace DIR (--category C | --models a,b --datasets x,y) --target PROFILE [--preset P] [--samples N] [--name N] [--reference] ${JUDGE_USAGE} [--json] [--wait]`,
  options: {
    ...WORKSPACE_OPTION,
    ...SELECTION_OPTIONS,
    target: {
      type: 'string',
      value: 'PROFILE',
      help: 'the cluster profile of .evalbench/clusters.jsonc that runs the jobs, e.g. local (required)',
    },
    workdir: { type: 'string', value: 'DIR', help: "store the run here (default: the profile's work directory)" },
    name: { type: 'string', value: 'N', help: 'a name for the run, shown beside its id' },
    reference: {
      type: 'boolean',
      help: "answer with each dataset's references instead of a model: a self-check of the pipeline, no GPU",
    },
    ...JUDGE_OPTIONS,
    ...JSON_OPTION,
    wait: { type: 'boolean', help: 'follow the run until it ends (progress on stderr), then print its status' },
  },
  details: [
    'Prints the run id on stdout (with --json: {"runId", "jobs"}) and each job on stderr.',
    'Exit status: 0 submitted (with --wait: every task passed), 1 a job was refused (with --wait: a task failed),',
    '2 bad input. A profile reached over SSH (with a host) is launched from VS Code, or from evalbench on that host.',
  ].join('\n'),
  run: runRun,
};

async function runRun(args: Args): Promise<number> {
  const workspace = path.resolve(args.required('workspace'));
  const target = args.string('target');
  if (!target)
    throw new UsageError('--target is required: a cluster profile of .evalbench/clusters.jsonc (e.g. local)');
  const { catalog } = loadValidCatalog(workspace);
  const selection = selectionFromArgs(args);
  const { id: presetId } = choosePreset(catalog, selection, args.string('preset'));
  const request = requestFromWorkspace({
    catalog,
    workspace,
    selection,
    presetId,
    clusterId: target,
    samples: args.int('samples'),
    name: args.string('name'),
    engineOverride: args.has('reference') ? { kind: 'reference' } : undefined,
    judge: judgeFromArgs(args),
  });
  if (request.cluster.host)
    throw new CliError(
      `cluster profile "${target}" is reached over SSH (host ${request.cluster.host}): run evalbench on that host, or launch from VS Code`,
      2,
    );
  const workdir = resolveWorkdir(args.string('workdir') ?? request.cluster.workdir, workspace);
  // Workspace data files travel with the run like on a cluster: copied into the work directory by content hash.
  const staged = await workspaceDatasetFiles(request, workspace);
  const copied = await copyStagedFiles(staged, staged.local, workdir, transferProgress(process.stderr));
  if (copied.copied)
    process.stderr.write(
      `copied ${copied.copied} dataset file${copied.copied === 1 ? '' : 's'} (${formatBytes(copied.bytes)}) into ${workdir}/datasets\n`,
    );
  const withFiles = Object.keys(staged.files).length
    ? { ...request, ...stagedRequestFields(staged), workspaceRoot: workspace }
    : request;
  const outcome = await submitRun({ workdir, request: withFiles, log: (m) => process.stderr.write(`${m}\n`) });
  const json = args.has('json');
  if (json) process.stdout.write(JSON.stringify({ runId: outcome.runId, jobs: outcome.jobs }) + '\n');
  else {
    process.stdout.write(`${outcome.runId}\n`);
    for (const j of outcome.jobs) process.stderr.write(`  ${j.model}: job ${j.jobId}\n`);
  }
  for (const e of outcome.errors) process.stderr.write(`evalbench: ${e.model}: ${e.reason}\n`);
  if (!args.has('wait')) return outcome.errors.length ? 1 : 0;
  const final = await followOnStderr(outcome.paths);
  (json ? process.stderr : process.stdout).write(renderStatus(final));
  return exitCodeOf(final);
}
