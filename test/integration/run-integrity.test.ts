import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RunPaths } from '../../remote-agent/store/layout';
import { readRun } from '../../remote-agent/store/run-store';
import { SANDBOX_DIR_PREFIX } from '../../remote-agent/scoring/stale-sandboxes';
import {
  agent,
  binariesBefore,
  numberedSamples,
  pollUntil,
  requestCounts,
  rightAnswers,
  statusOf,
  writeWorkspace,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'workspace');
const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir);

function workspace(samples: number, standinEnv?: Record<string, string>) {
  const ws = dir('ws');
  const a = numberedSamples('a', samples);
  const { statsFile } = writeWorkspace({
    dir: ws,
    standin: bins.standin,
    models: { solo: 'org/solo' },
    datasets: { first: { samples: a } },
    answers: rightAnswers(a),
    standinEnv,
    maxNumSeqs: 2,
  });
  return { ws, statsFile, workdir: path.join(ws, 'wd-local') };
}

/** Sample ids with a real answer (no generation error) in a predictions file, as its lines say. */
function answeredIds(file: string): string[] {
  const ids = new Set<string>();
  if (!fs.existsSync(file)) return [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    try {
      const p = JSON.parse(line) as { id: string; error?: string };
      if (p.error === undefined) ids.add(p.id);
    } catch {
      // not a prediction
    }
  }
  return [...ids];
}

/** Processes whose command line names the directory (a launcher or a sample of that sandbox). */
/** Processes that name the directory on their command line or work inside it (what the clean-up waits for too). */
function usersOf(dir: string): string[] {
  const byArgs = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir));
  const byCwd = fs.readdirSync('/proc').filter((pid) => {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      return cwd === dir || cwd.startsWith(dir + path.sep);
    } catch {
      return false;
    }
  });
  return [...byArgs, ...byCwd];
}

describe('run store integrity (local target)', () => {
  it('a corrupted middle line of predictions.jsonl: rescore reports and keeps it, the task fails as not scored, rerun generates that sample', async () => {
    const { ws, statsFile, workdir } = workspace(5);
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
    assert.equal(r.code, 0, r.stderr);
    const { runId } = JSON.parse(r.stdout.split('\n')[0]!) as { runId: string };
    const paths = RunPaths.of(workdir, runId);
    const file = paths.predictions('solo', 'first');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const victim = lines.findIndex((l) => (JSON.parse(l) as { id: string }).id === 'a2');
    const bad = lines[victim]!.slice(0, 25);
    lines[victim] = bad;
    const passing = lines[victim === 0 ? 1 : 0]!;
    // Hostile too: one passing answer written a hundred times more.
    fs.writeFileSync(file, [...lines, ...Array.from({ length: 100 }, () => passing)].join('\n') + '\n');
    const badLine = victim + 1;

    const rescore = await agent(bins.agent, ['rescore', runId, '--json', '--workdir', workdir]);
    assert.equal(rescore.code, 0, rescore.stderr);
    const [task] = JSON.parse(rescore.stdout).tasks as Array<{
      n: number;
      value: number;
      unscored: number;
      failure: string;
      unreadable: string[];
    }>;
    assert.deepEqual([task!.n, task!.value, task!.unscored], [5, 4 / 5, 1]);
    assert.match(
      task!.failure,
      new RegExp(`1 of 5 samples have no readable prediction \\(.*predictions\\.jsonl:${badLine}: invalid JSON`),
    );
    assert.match(rescore.stderr, new RegExp(`predictions\\.jsonl:${badLine}: invalid JSON`));
    assert.ok(fs.readFileSync(file, 'utf8').split('\n').includes(bad), 'the unreadable line is still in the file');

    const failed = await statusOf(bins.agent, runId, workdir);
    assert.deepEqual(
      failed.taskStates.map((t) => t.state),
      ['failed'],
    );
    assert.match(failed.taskStates[0]!.reason ?? '', /no readable prediction/);

    const before = requestCounts(statsFile)['org/solo']!;
    const rerun = await agent(bins.agent, ['rerun', runId, '--workdir', workdir, '--wait']);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    assert.equal(requestCounts(statsFile)['org/solo']! - before, 1, 'only the unreadable sample is generated again');
    const after = await statusOf(bins.agent, runId, workdir);
    assert.deepEqual(
      after.taskStates.map((t) => [t.state, t.done, t.value]),
      [['done', 5, 1]],
    );
    assert.ok(fs.readFileSync(file, 'utf8').split('\n').includes(bad), 'the unreadable line is still kept');
  });

  it('reruns started at once: one of them submits, the samples are generated once, every job is recorded', async () => {
    const { ws, statsFile, workdir } = workspace(24, { STANDIN_LATENCY_MS: '250' });
    const r = await agent(bins.agent, ['run', '--workspace', ws, '--category', 'pair', '--target', 'local', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const paths = RunPaths.of(workdir, runId);
    await pollUntil(
      () => (answeredIds(paths.predictions('solo', 'first')).length >= 2 ? true : undefined),
      30_000,
      '2 predictions',
    );
    assert.equal((await agent(bins.agent, ['cancel', runId, '--workdir', workdir])).code, 0);
    const missing = 24 - answeredIds(paths.predictions('solo', 'first')).length;
    assert.ok(missing > 0, 'the cancel left samples to generate');
    const before = requestCounts(statsFile)['org/solo']!;

    const reruns = await Promise.all([1, 2, 3].map(() => agent(bins.agent, ['rerun', runId, '--workdir', workdir])));
    const submitted = reruns.filter((x) => /^solo: job local-\d+$/m.test(x.stdout));
    assert.equal(submitted.length, 1, reruns.map((x) => `${x.code}: ${x.stdout}${x.stderr}`).join('\n'));
    for (const x of reruns.filter((y) => !submitted.includes(y))) {
      assert.ok(
        (x.code === 1 && /still active/.test(x.stderr)) || (x.code === 0 && /nothing to rerun/.test(x.stdout)),
        `${x.code}: ${x.stdout}${x.stderr}`,
      );
    }
    const done = await pollUntil(
      async () => {
        const s = await statusOf(bins.agent, runId, workdir);
        return s.state === 'done' || s.state === 'failed' ? s : undefined;
      },
      60_000,
      'the rerun to finish',
    );
    assert.deepEqual(
      done.taskStates.map((t) => [t.state, t.done]),
      [['done', 24]],
    );
    assert.equal(requestCounts(statsFile)['org/solo']! - before, missing, 'each missing sample generated once');
    assert.deepEqual(
      readRun(paths).jobs.map((j) => j.attempt),
      [1, 2],
    );
  });

  it('an agent killed while scoring leaves its sandbox behind; the next agent start removes it', async () => {
    const tmp = dir('tmproot');
    const preds = path.join(tmp, 'preds.jsonl');
    const slow = '    import time\n    time.sleep(2)\n    return 0\n';
    fs.writeFileSync(
      preds,
      [0, 1, 2, 3, 4].map((i) => JSON.stringify({ id: `evalbench-example/${i}`, output: slow })).join('\n') + '\n',
    );
    const scorer = spawn(
      process.execPath,
      [bins.agent, 'score', '--workspace', EXAMPLE, '--dataset', 'humaneval', '--predictions', preds],
      { env: { ...process.env, TMPDIR: tmp }, detached: true, stdio: 'ignore' },
    );
    const left = await pollUntil(
      () => fs.readdirSync(tmp).find((n) => n.startsWith(SANDBOX_DIR_PREFIX)),
      60_000,
      'the scorer to make its sandbox',
    );
    // What a job's time limit or a lost node does: the whole process group, at once, no chance to clean up.
    const exited = new Promise((resolve) => scorer.once('exit', resolve));
    process.kill(-scorer.pid!, 'SIGKILL');
    await exited;
    const sandbox = path.join(tmp, left);
    await pollUntil(
      () => (usersOf(sandbox).length === 0 ? true : undefined),
      30_000,
      'the killed scorer and its samples to be gone',
    );
    assert.ok(fs.existsSync(sandbox), 'the killed agent left its sandbox directory');
    const t = new Date(Date.now() - 20 * 60_000);
    fs.utimesSync(sandbox, t, t);
    const serve = spawnSync(process.execPath, [bins.agent, 'serve', '--workdir', path.join(tmp, 'wd')], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(serve.status, 0, serve.stderr);
    assert.match(serve.stderr, /removed 1 sandbox directory left by killed agents/);
    assert.equal(fs.existsSync(sandbox), false);
  });
});
