import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RunStatus } from '../../common/run/records';
import { RunPaths } from '../../remote-agent/store/layout';
import { taskLog } from '../../remote-agent/runs/task-log';
import { readRun } from '../../remote-agent/store/run-store';
import { shellQuote } from '../../remote-agent/slurm/quote';
import {
  agent,
  binariesBefore,
  numberedSamples,
  pollUntil,
  predictedIds,
  requestCounts,
  rightAnswers,
  SKIP_WITHOUT_SLURM,
  statusOf,
  writeWorkspace,
  type WorkspaceSpec,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const dir = tempDirsRemovedAfter();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bins = binariesBefore(dir, SKIP_WITHOUT_SLURM);

/** add: 5 of 6 answered right; cap: 3 of 4. The stand-in answers the same for every model. */
function pairSpec(wsDir: string, extra: Partial<WorkspaceSpec> = {}): WorkspaceSpec {
  const add = numberedSamples('add', 6);
  const cap = numberedSamples('cap', 4);
  const answers = rightAnswers([...add.slice(0, 5), ...cap.slice(0, 3)]);
  return {
    dir: wsDir,
    standin: bins.standin,
    models: { alpha: 'org/alpha', beta: 'org/beta' },
    datasets: { add: { samples: add }, cap: { samples: cap } },
    answers,
    ...extra,
  };
}

async function runCategory(
  ws: string,
  target: string,
  extraArgs: string[] = [],
): Promise<{ runId: string; jobs: Array<{ model: string; jobId: string }>; code: number | null; stderr: string }> {
  const r = await agent(bins.agent, [
    'run',
    '--workspace',
    ws,
    '--category',
    'pair',
    '--target',
    target,
    '--json',
    '--wait',
    ...extraArgs,
  ]);
  const first = r.stdout.split('\n')[0] ?? '';
  let parsed: { runId: string; jobs: Array<{ model: string; jobId: string }> };
  try {
    parsed = JSON.parse(first);
  } catch {
    throw new Error(`run printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { ...parsed, code: r.code, stderr: r.stderr };
}

function task(s: RunStatus, model: string, dataset: string) {
  const t = s.taskStates.find((x) => x.model === model && x.dataset === dataset);
  assert.ok(t, `no task ${model}/${dataset} in ${JSON.stringify(s.taskStates)}`);
  return t;
}

describe('runs through real SLURM', { skip: SKIP_WITHOUT_SLURM }, () => {
  it('runs a 2-model × 2-dataset category to completion in two jobs, with the whole run store', async () => {
    const ws = dir('ws');
    const { statsFile } = writeWorkspace(pairSpec(ws));
    const r = await runCategory(ws, 'slurm');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.jobs.map((j) => j.model),
      ['alpha', 'beta'],
    );
    assert.ok(
      r.jobs.every((j) => /^\d+$/.test(j.jobId)),
      JSON.stringify(r.jobs),
    );
    const workdir = path.join(ws, 'wd-slurm');
    const s = await statusOf(bins.agent, r.runId, workdir);
    assert.equal(s.state, 'done');
    assert.deepEqual(
      s.jobs.map((j) => [j.model, j.jobId, j.state, j.exitCode]),
      r.jobs.map((j) => [j.model, j.jobId, 'COMPLETED', '0:0']),
    );
    for (const model of ['alpha', 'beta']) {
      assert.deepEqual(
        [task(s, model, 'add').state, task(s, model, 'add').done, task(s, model, 'add').value],
        ['done', 6, 5 / 6],
      );
      assert.deepEqual(
        [task(s, model, 'cap').state, task(s, model, 'cap').done, task(s, model, 'cap').value],
        ['done', 4, 3 / 4],
      );
    }
    // One engine per model served both datasets: 10 requests each.
    assert.deepEqual(requestCounts(statsFile), { 'org/alpha': 10, 'org/beta': 10 });
    const paths = RunPaths.of(workdir, r.runId);
    const run = readRun(paths);
    assert.deepEqual(
      run.jobs.map((j) => [j.model, j.jobId, j.kind, j.node, j.engineVersion, j.finalState]),
      r.jobs.map((j) => [j.model, j.jobId, 'slurm', os.hostname(), '0.10.1-standin', 'COMPLETED']),
    );
    assert.equal(run.provenance.nodeVersion, process.version);
    assert.equal(run.provenance.seed, 1234);
    assert.ok(run.provenance.agentPath.startsWith(path.join(workdir, 'agent') + path.sep), run.provenance.agentPath);
    for (const j of r.jobs) {
      assert.match(fs.readFileSync(paths.script(j.model), 'utf8'), /^#SBATCH --gres=gpu:h100:1$/m);
      assert.match(fs.readFileSync(paths.log(j.model, j.jobId), 'utf8'), /vLLM API server version 0\.10\.1-standin/);
      const result = JSON.parse(fs.readFileSync(paths.result(j.model, 'add'), 'utf8'));
      assert.deepEqual([result.n, result.passed, result.jobId], [6, 5, j.jobId]);
    }
    const events = fs
      .readFileSync(paths.events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    for (const type of [
      'run_created',
      'job_submitted',
      'job_started',
      'engine_ready',
      'task_started',
      'progress',
      'task_finished',
      'job_finished',
    ])
      assert.ok(events.includes(type), `no ${type} event`);
  });

  it('resumes a job cancelled mid-task: rerun generates only the samples that were missing', async () => {
    const ws = dir('ws');
    const samples = numberedSamples('long', 40);
    const { statsFile } = writeWorkspace({
      dir: ws,
      standin: bins.standin,
      models: { alpha: 'org/alpha' },
      datasets: { long: { samples } },
      answers: rightAnswers(samples),
      standinEnv: { STANDIN_LATENCY_MS: '100' },
      maxNumSeqs: 2,
    });
    const r = await agent(bins.agent, ['run', '--workspace', ws, '--category', 'pair', '--target', 'slurm', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const workdir = path.join(ws, 'wd-slurm');
    const paths = RunPaths.of(workdir, runId);
    const predictions = paths.predictions('alpha', 'long');
    await pollUntil(() => (predictedIds(predictions).length >= 8 ? true : undefined), 30_000, '8 predictions');
    const cancel = await agent(bins.agent, ['cancel', runId, '--workdir', workdir]);
    assert.equal(cancel.code, 0, cancel.stderr);
    const cancelled = await pollUntil(
      async () => {
        const s = await statusOf(bins.agent, runId, workdir);
        return s.jobs[0]!.state === 'CANCELLED' ? s : undefined;
      },
      30_000,
      'the job to be CANCELLED',
    );
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(task(cancelled, 'alpha', 'long').state, 'cancelled');
    const doneBefore = predictedIds(predictions).length;
    const requestsBefore = requestCounts(statsFile)['org/alpha'] ?? 0;
    assert.ok(doneBefore >= 8 && doneBefore < 40, `cancelled after ${doneBefore} predictions: not mid-task`);

    const rerun = await agent(bins.agent, ['rerun', runId, '--workdir', workdir, '--wait']);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    const s = await statusOf(bins.agent, runId, workdir);
    assert.equal(s.state, 'done');
    assert.deepEqual(
      [task(s, 'alpha', 'long').state, task(s, 'alpha', 'long').done, task(s, 'alpha', 'long').value],
      ['done', 40, 1],
    );
    assert.equal((requestCounts(statsFile)['org/alpha'] ?? 0) - requestsBefore, 40 - doneBefore);
    // Nothing was generated twice: one line per sample.
    assert.equal(fs.readFileSync(predictions, 'utf8').trim().split('\n').length, 40);
    assert.deepEqual(
      readRun(paths).jobs.map((j) => [j.attempt, j.finalState]),
      [
        [1, 'CANCELLED'],
        [2, 'COMPLETED'],
      ],
    );
  });

  it('fails every task of a model whose engine cannot start, with the root cause from the engine output', async () => {
    const ws = dir('ws');
    writeWorkspace(pairSpec(ws, { standinEnv: { STANDIN_FAIL_START: 'oom' } }));
    const r = await runCategory(ws, 'slurm');
    assert.equal(r.code, 1);
    const s = await statusOf(bins.agent, r.runId, path.join(ws, 'wd-slurm'));
    assert.equal(s.state, 'failed');
    assert.equal(s.taskStates.length, 4);
    for (const t of s.taskStates) {
      assert.equal(t.state, 'failed');
      assert.match(t.reason!, /^engine failed to start \(.*\): torch\.OutOfMemoryError: CUDA out of memory/);
    }
    assert.deepEqual(
      s.jobs.map((j) => [j.state, j.exitCode]),
      [
        ['FAILED', '1:0'],
        ['FAILED', '1:0'],
      ],
    );
    // The engine command line as rendered from the profile's template, recorded before the health wait failed.
    const paths = RunPaths.of(path.join(ws, 'wd-slurm'), r.runId);
    for (const model of ['alpha', 'beta']) {
      const { command } = taskLog(paths, model, 1000);
      assert.ok(command, `no engine command recorded for ${model}`);
      assert.ok(command.includes(`${shellQuote(bins.standin)} serve org/${model} --port `), command);
      assert.match(
        command,
        new RegExp(
          `^STANDIN_FIXTURE=.* STANDIN_FAIL_START=${escapeRegExp(shellQuote('oom'))} ${escapeRegExp(shellQuote(process.execPath))} .* serve org/${model} --port \\d+ .*--served-model-name org/${model}( |$)`,
        ),
      );
    }
    const starting = fs
      .readFileSync(paths.events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'engine_starting');
    assert.deepEqual(
      starting.map((e) => e.model).sort(),
      ['alpha', 'beta'],
      'one engine_starting per model, with the full command',
    );
  });

  it('fails a task whose job ended COMPLETED without writing its result', async () => {
    const ws = dir('ws');
    // A setup line that ends the job script before the agent starts: SLURM sees a clean exit.
    writeWorkspace(pairSpec(ws, { clusterExtra: { setup: ['echo "setup says bye"', 'exit 0'] } }));
    const r = await runCategory(ws, 'slurm');
    assert.equal(r.code, 1);
    const s = await statusOf(bins.agent, r.runId, path.join(ws, 'wd-slurm'));
    assert.deepEqual(
      s.jobs.map((j) => j.state),
      ['COMPLETED', 'COMPLETED'],
    );
    for (const t of s.taskStates) {
      assert.equal(t.state, 'failed');
      const jobId = s.jobs.find((j) => j.model === t.model)!.jobId;
      assert.equal(t.reason, `job ${jobId} ended COMPLETED but task has no result; log ends: setup says bye`);
    }
  });

  it('fails every task of a job whose setup line failed, quoting that line and its number as the root cause', async () => {
    const ws = dir('ws');
    // `module` is defined by a site's login profile; this node has none, as a batch job on a misconfigured site.
    writeWorkspace(
      pairSpec(ws, {
        models: { alpha: 'org/alpha' },
        clusterExtra: { setup: ['echo "loading modules"', 'module load cuda/12.4', 'touch SHOULD-NOT-RUN'] },
      }),
    );
    const r = await runCategory(ws, 'slurm');
    assert.equal(r.code, 1);
    const s = await statusOf(bins.agent, r.runId, path.join(ws, 'wd-slurm'));
    assert.deepEqual(
      s.taskStates.map((t) => [t.state, t.reason]),
      [
        ['failed', 'setup line 2 failed with exit status 127: module load cuda/12.4'],
        ['failed', 'setup line 2 failed with exit status 127: module load cuda/12.4'],
      ],
    );
    assert.equal(
      fs.existsSync(path.join(RunPaths.of(path.join(ws, 'wd-slurm'), r.runId).dir, 'SHOULD-NOT-RUN')),
      false,
    );
  });

  it('quotes hostile ids and paths everywhere: the run completes and nothing in them is executed', async () => {
    const root = dir('hostile');
    const ws = path.join(root, `ws 'a' "b" $(touch PWNED) \`touch PWNED\` 50%j`);
    const model = `m 'q' "x" $(touch PWNED) \`touch PWNED\` %j; rm -rf ~`;
    const dataset = `d .. "y" $(touch PWNED)`;
    const samples = numberedSamples('h', 3);
    writeWorkspace({
      dir: ws,
      standin: bins.standin,
      models: { [model]: 'org/hostile' },
      datasets: { [dataset]: { samples } },
      answers: rightAnswers(samples),
      workdir: `work "dir" $(touch PWNED)`,
    });
    const r = await runCategory(ws, 'slurm');
    assert.equal(r.code, 0, r.stderr);
    const workdir = path.join(ws, `work "dir" $(touch PWNED)`);
    const s = await statusOf(bins.agent, r.runId, workdir);
    assert.deepEqual(
      s.taskStates.map((t) => [t.model, t.dataset, t.state, t.value]),
      [[model, dataset, 'done', 1]],
    );
    const paths = RunPaths.of(workdir, r.runId);
    assert.ok(fs.existsSync(paths.log(model, r.jobs[0]!.jobId)), 'the job log is where the store says');
    assert.ok(paths.taskDir(model, dataset).startsWith(paths.dir + path.sep));
    const found: string[] = [];
    const walk = (d: string) =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .forEach((e) =>
          e.name === 'PWNED' ? found.push(path.join(d, e.name)) : e.isDirectory() && walk(path.join(d, e.name)),
        );
    walk(root);
    assert.deepEqual(found, []);
  });

  it('gives the same results on the local target as on SLURM', async () => {
    const ws = dir('ws');
    writeWorkspace(pairSpec(ws));
    const onSlurm = await runCategory(ws, 'slurm');
    const onLocal = await runCategory(ws, 'local');
    assert.equal(onSlurm.code, 0, onSlurm.stderr);
    assert.equal(onLocal.code, 0, onLocal.stderr);
    const view = (workdir: string, runId: string) => {
      const paths = RunPaths.of(workdir, runId);
      return readRun(paths).plan.tasks.map((t) => {
        const result = JSON.parse(fs.readFileSync(paths.result(t.model, t.dataset), 'utf8'));
        const lines = fs
          .readFileSync(paths.predictions(t.model, t.dataset), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        const predictions = lines.map((p) => [p.id, p.output, p.verdict, p.reason, p.completionTokens]).sort();
        return {
          task: `${t.model}/${t.dataset}`,
          n: result.n,
          passed: result.passed,
          value: result.value,
          stderr: result.stderr,
          reasons: result.reasons,
          predictions,
        };
      });
    };
    const slurmView = view(path.join(ws, 'wd-slurm'), onSlurm.runId);
    assert.equal(slurmView.length, 4);
    assert.deepEqual(view(path.join(ws, 'wd-local'), onLocal.runId), slurmView);
  });
});
