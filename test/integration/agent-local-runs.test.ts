import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { RunEvent } from '../../common/run/events';
import { AgentErrorCode } from '../../common/protocol/agent-errors';
import { requestFromWorkspace } from '../../remote-agent/runs/request-from-workspace';
import { RunPaths } from '../../remote-agent/store/layout';
import { readRun } from '../../remote-agent/store/run-store';
import { loadValidCatalog } from '../../remote-agent/workspace/load';
import {
  agent,
  binariesBefore,
  numberedSamples,
  pollUntil,
  predictedIds,
  requestCounts,
  rightAnswers,
  statusOf,
  writeWorkspace,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const children: ChildProcess[] = [];
// Registered first, so the children are gone before their directories are removed.
after(() => children.forEach((c) => c.kill()));
const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir);

function answeredWorkspace(
  samplesPerDataset: number,
  extra: { standinEnv?: Record<string, string>; maxNumSeqs?: number; wrong?: number } = {},
) {
  const ws = dir('ws');
  const a = numberedSamples('a', samplesPerDataset);
  const b = numberedSamples('b', samplesPerDataset);
  const right = [...a, ...b].slice(extra.wrong ?? 0);
  const { statsFile } = writeWorkspace({
    dir: ws,
    standin: bins.standin,
    models: { solo: 'org/solo' },
    datasets: { first: { samples: a }, second: { samples: b } },
    answers: rightAnswers(right),
    standinEnv: extra.standinEnv,
    maxNumSeqs: extra.maxNumSeqs,
  });
  return { ws, statsFile, workdir: path.join(ws, 'wd-local') };
}

describe('the local target (a detached process group, no scheduler)', () => {
  it('runs, then rescores from predictions.jsonl without generating anything', async () => {
    const { ws, statsFile, workdir } = answeredWorkspace(5, { wrong: 2 });
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
    const s = await statusOf(bins.agent, runId, workdir);
    assert.deepEqual(
      s.taskStates.map((t) => [t.dataset, t.state, t.value]),
      [
        ['first', 'done', 3 / 5],
        ['second', 'done', 1],
      ],
    );
    assert.match(s.jobs[0]!.jobId!, /^local-\d+$/);
    assert.equal(s.jobs[0]!.state, 'COMPLETED');

    const paths = RunPaths.of(workdir, runId);
    const file = paths.predictions('solo', 'first');
    const spoiled = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.stringify({ ...JSON.parse(l), verdict: 'error', reason: 'spoiled' }));
    fs.writeFileSync(file, spoiled.join('\n') + '\n');
    const requests = requestCounts(statsFile)['org/solo'];
    const rescore = await agent(bins.agent, ['rescore', runId, '--task', 'solo/first', '--json', '--workdir', workdir]);
    assert.equal(rescore.code, 0, rescore.stderr);
    assert.deepEqual(
      JSON.parse(rescore.stdout).tasks.map((t: { task: string; value: number; n: number }) => [t.task, t.value, t.n]),
      [['solo/first', 3 / 5, 5]],
    );
    const verdicts = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).verdict)
      .sort();
    assert.deepEqual(verdicts, ['fail', 'fail', 'pass', 'pass', 'pass']);
    assert.equal(JSON.parse(fs.readFileSync(paths.result('solo', 'first'), 'utf8')).value, 3 / 5);
    assert.equal(requestCounts(statsFile)['org/solo'], requests);
  });

  it('cancels by killing the process group, and rerun generates only what is missing', async () => {
    const { ws, statsFile, workdir } = answeredWorkspace(30, {
      standinEnv: { STANDIN_LATENCY_MS: '100' },
      maxNumSeqs: 2,
    });
    const r = await agent(bins.agent, ['run', '--workspace', ws, '--category', 'pair', '--target', 'local', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const paths = RunPaths.of(workdir, runId);
    await pollUntil(
      () => (predictedIds(paths.predictions('solo', 'first')).length >= 6 ? true : undefined),
      30_000,
      '6 predictions',
    );
    assert.equal((await agent(bins.agent, ['cancel', runId, '--workdir', workdir])).code, 0);
    const s = await statusOf(bins.agent, runId, workdir);
    assert.equal(s.jobs[0]!.state, 'CANCELLED');
    assert.equal(s.state, 'cancelled');
    const pid = readRun(paths).jobs[0]!.pid!;
    assert.throws(() => process.kill(-pid, 0), 'the job process group is gone');
    const done = predictedIds(paths.predictions('solo', 'first')).length;
    const before = requestCounts(statsFile)['org/solo']!;
    assert.ok(done < 30);
    const rerun = await agent(bins.agent, ['rerun', runId, '--workdir', workdir, '--wait']);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    assert.equal(requestCounts(statsFile)['org/solo']! - before, 60 - done);
    const after = await statusOf(bins.agent, runId, workdir);
    assert.deepEqual(
      after.taskStates.map((t) => [t.state, t.done]),
      [
        ['done', 30],
        ['done', 30],
      ],
    );
  });
});

describe('serve: JSON-RPC over stdio', () => {
  let client: MessageConnection;
  let workdir: string;
  let ws: string;

  before(() => {
    ({ ws } = answeredWorkspace(4, { wrong: 1 }));
    workdir = path.join(dir('serve'), 'agent workdir');
    const child = spawn(process.execPath, [bins.agent, 'serve', '--workdir', workdir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    client = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    client.listen();
  });
  after(() => client.dispose());

  async function rpcError(p: Promise<unknown>): Promise<ResponseError<unknown>> {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof ResponseError, String(err));
      return err;
    }
    assert.fail('the call succeeded');
  }

  it('says hello with its work directory', async () => {
    const hello = (await client.sendRequest('hello', { clientVersion: 'test', protocol: 1 })) as {
      workdir: string;
      protocol: number;
    };
    assert.equal(hello.workdir, workdir);
    assert.equal(hello.protocol, 1);
  });

  it('refuses invalid params with InvalidParams and the schema message, and unknown runs with RunNotFound', async () => {
    const bad = await rpcError(client.sendRequest('runs/get', { runId: 5 }));
    assert.equal(bad.code, -32602);
    assert.match(bad.message, /runs\/get: invalid params: runId: .*string/);
    const extra = await rpcError(client.sendRequest('runs/watch', { runId: 'x', offset: -1 }));
    assert.equal(extra.code, -32602);
    const missing = await rpcError(client.sendRequest('runs/get', { runId: '20250101-000000-000-abcdef' }));
    assert.equal(missing.code, AgentErrorCode.RunNotFound);
  });

  it('submits, streams events from an offset (a reconnect repeats and loses nothing), pages predictions, tails the log', async () => {
    const { catalog } = loadValidCatalog(ws);
    const request = requestFromWorkspace({
      catalog,
      workspace: ws,
      selection: { category: 'pair' },
      presetId: 'test',
      clusterId: 'local',
    });
    const submitted = (await client.sendRequest('submit', { request })) as {
      runId: string;
      jobs: Array<{ model: string; jobId: string }>;
      errors: unknown[];
    };
    assert.deepEqual(
      submitted.jobs.map((j) => j.model),
      ['solo'],
    );
    assert.deepEqual(submitted.errors, [], 'no job was refused');
    const seen: Array<{ offset: number; event: RunEvent }> = [];
    let offset = 0;
    for (let i = 0; ; i++) {
      assert.ok(i < 200, 'the watch never said done');
      const page = (await client.sendRequest('runs/watch', { runId: submitted.runId, offset, waitMs: 2000 })) as {
        events: typeof seen;
        next: number;
        done: boolean;
      };
      seen.push(...page.events);
      offset = page.next;
      if (page.done) break;
    }
    const types = seen.map((e) => e.event.type);
    assert.equal(types[0], 'run_created');
    assert.equal(types.filter((t) => t === 'task_finished').length, 2);
    assert.equal(types.filter((t) => t === 'job_finished').length, 1);
    assert.deepEqual(
      seen.map((e) => e.offset),
      [...new Set(seen.map((e) => e.offset))].sort((a, b) => a - b),
    );
    const middle = seen[Math.floor(seen.length / 2)]!;
    const resumed = (await client.sendRequest('runs/watch', { runId: submitted.runId, offset: middle.offset })) as {
      events: typeof seen;
      next: number;
    };
    assert.deepEqual(resumed.events, seen.slice(Math.floor(seen.length / 2)));
    assert.equal(resumed.next, offset);

    const status = (await client.sendRequest('runs/get', { runId: submitted.runId })) as {
      state: string;
      taskStates: Array<{ state: string; value: number }>;
    };
    assert.equal(status.state, 'done');
    assert.deepEqual(
      status.taskStates.map((t) => [t.state, t.value]),
      [
        ['done', 3 / 4],
        ['done', 1],
      ],
    );
    const page = (await client.sendRequest('tasks/predictions', {
      runId: submitted.runId,
      model: 'solo',
      dataset: 'first',
      offset: 1,
      limit: 2,
    })) as { total: number; matched: number; items: Array<{ id: string }> };
    assert.deepEqual([page.total, page.matched, page.items.map((p) => p.id)], [4, 4, ['a1', 'a2']]);
    const failing = (await client.sendRequest('tasks/predictions', {
      runId: submitted.runId,
      model: 'solo',
      dataset: 'first',
      verdict: 'fail',
    })) as { matched: number; items: Array<{ id: string }> };
    assert.deepEqual(
      failing.items.map((p) => p.id),
      ['a0'],
    );
    const log = (await client.sendRequest('tasks/log', {
      runId: submitted.runId,
      model: 'solo',
      tailBytes: 100_000,
    })) as { text: string; script: string; command: string };
    assert.match(log.text, /vLLM API server version/);
    assert.match(log.script, /^exec .* work --run-dir /m);
    assert.match(log.command, /standin\.js'? serve org\/solo --port \d+ /);
    const listed = (await client.sendRequest('runs/list', {})) as { runs: Array<{ runId: string; state: string }> };
    assert.deepEqual(
      listed.runs.map((r) => [r.runId, r.state]),
      [[submitted.runId, 'done']],
    );
  });
});
