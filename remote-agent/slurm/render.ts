import type { Cluster } from '../../common/catalog/cluster';
import type { PlanJob } from '../../common/run/plan-schema';
import { idToSegment } from '../store/path-segment';
import { assertOneLine, escapeSlurmFilenamePattern, jobName, sbatchQuote, shellQuote, UnsafeValueError } from './quote';

export interface JobScriptInput {
  cluster: Cluster;
  modelId: string;
  /** The plan's job for the model: GPUs. */
  job: Pick<PlanJob, 'gpus'>;
  runDir: string;
  agentPath: string;
  nodePath: string;
  /** Exported after the setup lines (so a module cannot redirect them): HF_HOME, HF_HUB_OFFLINE. Names are plain, values quoted. */
  env?: Record<string, string>;
  /** A 0600 file holding the Hugging Face token: the script reads it into HF_TOKEN, then removes it. */
  tokenFile?: string;
}

/**
 * huggingface_hub reads a login token from $HF_HOME/token unless HF_TOKEN_PATH says otherwise: before HF_HOME moves
 * to the work directory, the token file keeps pointing where `hf auth login` wrote it (nothing is copied).
 */
const KEEP_TOKEN_FILE =
  'export HF_TOKEN_PATH="${HF_TOKEN_PATH:-${HF_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/huggingface}/token}"';

/**
 * The batch script of one model's job: the scheduler's directives from the cluster profile and the plan, the
 * profile's setup lines, then the agent's `work`. The same script runs under sbatch and, for local targets, under
 * bash (the directives are then comments). Every value is quoted for the reader of its line.
 */
export function renderJobScript(input: JobScriptInput): string {
  const { cluster, modelId, job, runDir, agentPath, nodePath } = input;
  assertOneLine('a model id', modelId);
  const gpus = job.gpus;
  const units = Math.max(1, gpus);
  const directives: string[] = [
    `--job-name=${jobName(modelId)}`,
    `--output=${sbatchQuote(`${escapeSlurmFilenamePattern(`${runDir}/logs/${idToSegment(modelId)}`)}.%j.out`, 'the run directory')}`,
  ];
  if (cluster.partition) directives.push(`--partition=${sbatchQuote(cluster.partition, 'partition')}`);
  if (cluster.account) directives.push(`--account=${sbatchQuote(cluster.account, 'account')}`);
  if (cluster.qos) directives.push(`--qos=${sbatchQuote(cluster.qos, 'qos')}`);
  if (gpus > 0) {
    if (cluster.gpuType !== undefined && !/^[A-Za-z0-9_.-]+$/.test(cluster.gpuType))
      throw new UnsafeValueError(`gpuType must be a plain name such as "h100", got ${JSON.stringify(cluster.gpuType)}`);
    directives.push(`--gres=gpu:${cluster.gpuType ? `${cluster.gpuType}:` : ''}${gpus}`);
  }
  directives.push(
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${cluster.cpusPerGpu * units}`,
    `--mem=${cluster.memPerGpuGb * units}G`,
    `--time=${cluster.timeLimit}`,
  );
  for (const extra of cluster.sbatchArgs ?? []) {
    assertOneLine('an sbatch argument', extra);
    if (!extra.startsWith('-'))
      throw new UnsafeValueError(
        `an sbatch argument must be an option such as "--constraint=h100", got ${JSON.stringify(extra)}`,
      );
    directives.push(extra);
  }
  const setup = cluster.setup.map((line, i) => {
    assertOneLine(`setup line ${i + 1}`, line);
    // Each line in its own group, so `module load` and `source` act on this shell; a failure names its line.
    return `{ ${line}\n} || ${SETUP_FAILED} ${i + 1} $? ${shellQuote(line, `setup line ${i + 1}`)}`;
  });
  const exports = Object.entries(input.env ?? {}).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UnsafeValueError(`an environment variable name must be plain, got ${JSON.stringify(name)}`);
    return `export ${name}=${shellQuote(value, name)}`;
  });
  const work = [
    shellQuote(nodePath, 'the node path'),
    shellQuote(agentPath, 'the agent path'),
    'work',
    '--run-dir',
    shellQuote(runDir, 'the run directory'),
    '--model',
    shellQuote(modelId, 'a model id'),
  ].join(' ');
  return [
    // A login shell, as on the login node: sites define `module` (and conda's hooks) in the login profile.
    '#!/bin/bash -l',
    ...directives.map((d) => `#SBATCH ${d}`),
    '# Written by evalbench: one job per model; the model loads once and serves all its datasets.',
    // The login profile may change directory; the job runs in its run directory (where it was submitted).
    `cd ${shellQuote(runDir, 'the run directory')} || exit 1`,
    ...(input.tokenFile ? tokenLines(shellQuote(input.tokenFile, 'the token file')) : []),
    ...(setup.length
      ? [
          '# setup lines of the cluster profile: the first that fails ends the job and is its root cause',
          `${SETUP_FAILED}() { echo "${SETUP_FAILURE_MARK} $1 failed with exit status $2: $3" >&2; exit 1; }`,
          ...setup,
        ]
      : []),
    ...(exports.length
      ? [
          '# where the engine finds model weights',
          ...(input.env?.HF_HOME !== undefined ? [KEEP_TOKEN_FILE] : []),
          ...exports,
        ]
      : []),
    `exec ${work}`,
    '',
  ].join('\n');
}

/** First thing in the job: the token leaves the run store as soon as the job runs (a builtin read: no process sees it). */
function tokenLines(file: string): string[] {
  return [
    '# the Hugging Face token of this submission: into the environment, then off the disk',
    `if [ -f ${file} ]; then HF_TOKEN=$(< ${file}); export HF_TOKEN; rm -f -- ${file}; fi`,
  ];
}

const SETUP_FAILED = 'evalbench_setup_failed';
/** The line a failed setup line writes into the job log: `evalbench: setup line N failed with exit status S: <line>`. */
export const SETUP_FAILURE_MARK = 'evalbench: setup line';
const SETUP_FAILURE_LINE = /evalbench: setup line (\d+) failed with exit status (\d+): (.*)$/m;

/** The root cause a job log gives when one of its setup lines failed: which line, its status and its text. */
export function setupFailureOf(log: string): string | undefined {
  const m = SETUP_FAILURE_LINE.exec(log);
  return m ? `setup line ${m[1]} failed with exit status ${m[2]}: ${m[3]!.trim()}` : undefined;
}
