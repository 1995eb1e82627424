// A job that ran out of GPU memory, rerun with more tensor parallelism on the local target: the plan first (a dry
// run changes nothing), then the rerun resumes with the change, which run.json, the events and provenance record.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RunPaths } from '../../remote-agent/store/layout';
import { readRun } from '../../remote-agent/store/run-store';
import {
  agent,
  binariesBefore,
  numberedSamples,
  rightAnswers,
  statusOf,
  writeWorkspace,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir);

describe('rerun with an override after CUDA out of memory (local target)', () => {
  it('plans, then resubmits with tensor parallelism 2, and records the change', async () => {
    const ws = dir('ws');
    const a = numberedSamples('a', 3);
    // The stand-in fails its start with vLLM's CUDA OOM unless --tensor-parallel-size is 2 or more.
    writeWorkspace({
      dir: ws,
      standin: bins.standin,
      models: { solo: 'org/solo' },
      datasets: { first: { samples: a } },
      answers: rightAnswers(a),
      standinEnv: { STANDIN_OOM_BELOW_TP: '2' },
    });
    const workdir = path.join(ws, 'wd-local');
    const r = await agent(bins.agent, [
      'run',
      '--workspace',
      ws,
      '--category',
      'pair',
      '--target',
      'local',
      '--json',
      '--wait',
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const { runId } = JSON.parse(r.stdout.split('\n')[0]!) as { runId: string };
    const failed = await statusOf(bins.agent, runId, workdir);
    assert.match(failed.taskStates[0]!.reason ?? '', /CUDA out of memory/);
    const paths = RunPaths.of(workdir, runId);

    const tooMany = await agent(bins.agent, ['rerun', runId, '--workdir', workdir, '--tensor-parallel', '8']);
    assert.equal(tooMany.code, 1);
    assert.match(tooMany.stderr, /tensor parallelism 8 needs 8 GPUs but a node of "local" has 4/);

    const dry = await agent(bins.agent, ['rerun', runId, '--workdir', workdir, '--tensor-parallel', '2', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Rerun 1 task of .* on local\?/);
    assert.match(dry.stdout, /Change: tensor parallelism 2/);
    assert.match(dry.stdout, /engine flags: --tensor-parallel-size 1 → 2/);
    assert.match(dry.stdout, /– first: failed, 0 of 3 generated, 3 left/);
    assert.equal(readRun(paths).modelSettings, undefined, 'a dry run changes nothing');
    assert.equal(readRun(paths).jobs.length, 1, 'a dry run submits nothing');

    const rerun = await agent(bins.agent, ['rerun', runId, '--workdir', workdir, '--tensor-parallel', '2', '--wait']);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    assert.ok(
      rerun.stdout.indexOf('engine flags: --tensor-parallel-size 1 → 2') < rerun.stdout.indexOf('solo: job '),
      'the plan is printed before the submission',
    );
    const after = await statusOf(bins.agent, runId, workdir);
    assert.deepEqual(
      after.taskStates.map((t) => [t.state, t.done, t.value]),
      [['done', 3, 1]],
    );
    const run = readRun(paths);
    assert.deepEqual(run.modelSettings, { solo: { tensorParallel: 2 } });
    assert.deepEqual(
      run.jobs.map((j) => j.override),
      [undefined, { kind: 'tensorParallel', tensorParallel: 2 }],
    );
    assert.match(String(after.provenance?.['solo: rerun settings']), /^tensor parallelism 2/);
    assert.match(String(after.provenance?.['solo: job ids']), /attempt 2, rerun with tensor parallelism 2/);
    const events = fs.readFileSync(paths.events, 'utf8');
    assert.match(events, /rerun of solo with tensor parallelism 2/);
    assert.match(events, /"engine_starting".*--tensor-parallel-size 2/);
    assert.match(fs.readFileSync(paths.script('solo'), 'utf8'), /^#SBATCH --gres=gpu:2$/m);
  });
});
