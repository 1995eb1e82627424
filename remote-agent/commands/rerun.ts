import { CliError, UsageError } from '../cli/args';
import type { Command } from '../cli/command';
import { RerunOverrideSchema, type RerunOverride } from '../../common/run/rerun-override';
import { rerunPlanText } from '../../common/run/rerun-plan-text';
import { planRerun, RerunError, rerunRun, type RerunOptions } from '../runs/rerun';
import { followOnStderr } from '../progress/cli';
import { exitCodeOf } from './follow';
import { renderStatus } from './render-status';
import { runFromArgs } from './status';
import { JSON_OPTION, WORKDIR_OPTIONS } from '../cli/options';
import type { Args } from '../cli/args';

function overrideOf(args: Args): RerunOverride | undefined {
  const tp = args.int('tensor-parallel');
  const len = args.int('max-model-len');
  if (tp !== undefined && len !== undefined)
    throw new UsageError('one change per rerun: --tensor-parallel or --max-model-len');
  const raw =
    tp !== undefined
      ? { kind: 'tensorParallel', tensorParallel: tp }
      : len !== undefined
        ? { kind: 'maxModelLen', maxModelLen: len }
        : undefined;
  if (raw === undefined) return undefined;
  const parsed = RerunOverrideSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `${tp !== undefined ? '--tensor-parallel' : '--max-model-len'}: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
}

export const rerunCommand: Command = {
  name: 'rerun',
  summary: 'resubmit the unfinished tasks of a run; predictions already made are kept',
  usage:
    'RUN [--failed] [--models a,b] [--tensor-parallel N | --max-model-len N] [--dry-run] [--json] [--wait] [--workdir DIR | --target PROFILE --workspace DIR]',
  options: {
    failed: { type: 'boolean', help: 'only the tasks that failed' },
    models: { type: 'string', value: 'a,b', help: "only these models' jobs" },
    'tensor-parallel': {
      type: 'string',
      value: 'N',
      help: "rerun with this tensor-parallel size (e.g. after CUDA out of memory); kept for the model's later reruns",
    },
    'max-model-len': {
      type: 'string',
      value: 'N',
      help: "rerun with this --max-model-len; kept for the model's later reruns",
    },
    'dry-run': {
      type: 'boolean',
      help: 'print the plan (tasks, samples left, GPUs, preset, engine flags that change) and submit nothing',
    },
    ...JSON_OPTION,
    wait: { type: 'boolean', help: 'follow the run until it ends (progress on stderr), then print its status' },
    ...WORKDIR_OPTIONS,
  },
  details:
    'The plan is printed before anything is submitted (on stderr with --json). Exit status with --wait: 0 when every task passed, 1 when one failed.',
  run: async (args) => {
    const paths = runFromArgs(args);
    const json = args.has('json');
    const opts: RerunOptions = {
      failedOnly: args.has('failed'),
      models: args.list('models'),
      override: overrideOf(args),
    };
    let jobs;
    try {
      const plan = await planRerun(paths, opts);
      const text = rerunPlanText(plan);
      if (args.has('dry-run')) {
        process.stdout.write(json ? JSON.stringify(plan) + '\n' : `${text.message}\n${text.detail}\n`);
        return 0;
      }
      (json ? process.stderr : process.stdout).write(`${text.message}\n${text.detail}\n\n`);
      jobs = await rerunRun(paths, opts);
    } catch (err) {
      if (err instanceof RerunError) throw new CliError(err.message, 1);
      throw err;
    }
    if (json) process.stdout.write(JSON.stringify({ runId: paths.runId, jobs }) + '\n');
    else
      process.stdout.write(
        jobs.length
          ? jobs.map((j) => `${j.model}: job ${j.jobId}\n`).join('')
          : 'nothing to rerun: every task has passed\n',
      );
    if (!args.has('wait') || jobs.length === 0) return 0;
    const final = await followOnStderr(paths);
    (json ? process.stderr : process.stdout).write(renderStatus(final));
    return exitCodeOf(final);
  },
};
