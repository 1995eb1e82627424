import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { loadValidCatalog } from '../../remote-agent/workspace/load';
import { requestFromWorkspace } from '../../remote-agent/runs/request-from-workspace';
import { ModelsFetch, ModelsFetchProgress, PlanMethod, RunsGet, Submit } from '../../common/protocol/agent-methods';
import type { RunRequest } from '../../common/run/request';
import { AgentClient, listenTo } from '../../src/connection/agent-client';
import { FakeHub } from '../unit/support/datasets/hub-server';
import { putModelRepo } from '../unit/support/models/model-fixture';
import {
  binariesBefore,
  numberedSamples,
  pollUntil,
  rightAnswers,
  SKIP_WITHOUT_SLURM,
  writeWorkspace,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

/**
 * The extension's Hugging Face token (SecretStorage) reaches the agent only in the params of models/fetch and submit.
 * Hostile: a token full of shell syntax. It must fetch a gated model, reach the job's environment (a setup line
 * records its SHA-256, never the token), and appear in no file of the work directory (run store, job script, job
 * log, cache), nor in the agent's stdout or stderr, nor in the client's RPC log.
 */
const TOKEN = `hf_${randomBytes(12).toString('hex')}$(touch${'${IFS}'}/tmp/evalbench-pwned)';"\`id\``;
const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir);
const samples = numberedSamples('t', 2);
let hub: FakeHub;

before(async () => {
  hub = await new FakeHub().start();
  putModelRepo(hub, 'org/gated');
  hub.models.get('org/gated')!.gatedToken = TOKEN;
});
after(() => hub.close());

interface Agent {
  client: AgentClient;
  output: () => string;
  rpcLog: string[];
  close: () => void;
}

/** `agent serve` as a child process, with every byte of its stdout and stderr kept, and the client's log. */
function serve(workdir: string): Agent {
  const child = spawn(process.execPath, [bins.agent, 'serve', '--workdir', workdir], {
    env: {
      ...process.env,
      HF_ENDPOINT: hub.url,
      HF_TOKEN: '',
      HUGGING_FACE_HUB_TOKEN: '',
      HF_HOME: dir('agent-hf-home'),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let seen = '';
  const readable = new PassThrough();
  child.stdout.on('data', (d: Buffer) => {
    seen += d.toString();
    readable.write(d);
  });
  child.stderr.on('data', (d: Buffer) => (seen += d.toString()));
  const closed = new Promise<string>((resolve) => child.on('exit', (code) => resolve(`agent exited ${code}`)));
  const rpcLog: string[] = [];
  const client = new AgentClient(
    { readable, writable: child.stdin, closed, close: () => child.kill(), description: 'test agent', uploaded: false },
    { log: (m) => rpcLog.push(m) },
  );
  return { client, output: () => seen, rpcLog, close: () => client.dispose() };
}

function workspace(target: 'local' | 'slurm'): { ws: string; workdir: string; request: RunRequest; tokenSeen: string } {
  const ws = dir('ws');
  const tokenSeen = path.join(ws, 'token-seen');
  writeWorkspace({
    dir: ws,
    standin: bins.standin,
    models: { gated: 'org/gated' },
    datasets: { qa: { samples } },
    answers: rightAnswers(samples),
    clusterExtra: { setup: [`printf %s "$HF_TOKEN" | sha256sum | cut -c1-64 > ${tokenSeen}`] },
  });
  const { catalog } = loadValidCatalog(ws);
  const request = requestFromWorkspace({
    catalog,
    workspace: ws,
    selection: { category: 'pair' },
    presetId: 'test',
    clusterId: target,
  });
  return { ws, workdir: path.join(ws, `wd-${target}`), request, tokenSeen };
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    else if (st.isFile()) out.push(p);
  };
  walk(root);
  return out;
}

async function submitWithToken(target: 'local' | 'slurm'): Promise<void> {
  const { workdir, request, tokenSeen } = workspace(target);
  const agent = serve(workdir);
  try {
    const unset = await agent.client.call(PlanMethod, { request });
    assert.match(
      unset.errors.join('\n'),
      /model "gated": gated without token: org\/gated is gated on .* no Hugging Face token is set/,
    );
    const held = await agent.client.call(PlanMethod, { request, hfTokenSet: true });
    assert.deepEqual(held.errors, []);
    assert.deepEqual(
      held.plan.models?.[0]?.sources.map((s) => s.state),
      ['download'],
      'the plan shows the download, not "gated without token"',
    );

    const submitted = await agent.client.call(Submit, { request, hfToken: TOKEN }, { timeoutMs: 120_000 });
    assert.deepEqual(submitted.errors, []);
    const runDir = path.join(workdir, 'runs', submitted.runId);
    const script = fs.readFileSync(path.join(runDir, 'jobs', 'gated.sbatch'), 'utf8');
    assert.match(script, /HF_TOKEN=\$\(< .*gated\.hf-token'?\); export HF_TOKEN; rm -f -- /);
    const status = await pollUntil(
      async () => {
        const s = await agent.client.call(RunsGet, { runId: submitted.runId });
        return s.state === 'done' || s.state === 'failed' ? s : undefined;
      },
      120_000,
      'the run ends',
    );
    assert.deepEqual(
      status.taskStates.map((t) => [t.model, t.state]),
      [['gated', 'done']],
      JSON.stringify(status.taskStates),
    );
    assert.equal(
      fs.readFileSync(tokenSeen, 'utf8').trim(),
      createHash('sha256').update(TOKEN).digest('hex'),
      'the job had the token in HF_TOKEN, unchanged by the shell',
    );
    assert.ok(!fs.existsSync(path.join(runDir, 'jobs', 'gated.hf-token')), 'the job removed its token file');
    assert.ok(!fs.existsSync('/tmp/evalbench-pwned'), 'nothing in the token was executed');

    // Fetch before a second submission: without the token the error says how to set one; with it, the cache fills.
    const refused = await agent.client.call(
      ModelsFetch,
      { cluster: request.cluster, models: request.models },
      { timeoutMs: 60_000 },
    );
    assert.match(
      refused.errors.join('\n'),
      /gated model org\/gated: no Hugging Face token is set \(HTTP 401\): accept the model's terms at .*, then set the token \(the extension's "Set Hugging Face Token"/,
    );
    const progress: string[] = [];
    const fetched = await agent.client.call(
      ModelsFetch,
      { cluster: request.cluster, models: request.models, hfToken: TOKEN },
      { timeoutMs: 60_000, notifications: [listenTo(ModelsFetchProgress, (p) => progress.push(p.file))] },
    );
    assert.deepEqual(fetched.errors, []);
    assert.equal(fetched.models[0]?.source, 'org/gated');
    assert.ok(progress.includes('model-00001-of-00002.safetensors'), `progress notifications: ${progress.join(', ')}`);
    assert.deepEqual(
      (await agent.client.call(PlanMethod, { request })).plan.models?.[0]?.sources.map((s) => s.state),
      ['cached'],
    );

    const files = filesUnder(workdir);
    for (const must of ['run.json', 'events.jsonl', 'predictions.jsonl', 'result.json', 'gated.sbatch'])
      assert.ok(
        files.some((f) => path.basename(f) === must),
        `the search covers ${must}`,
      );
    assert.ok(
      files.some((f) => f.includes(`${path.sep}logs${path.sep}`)),
      'the search covers the job log',
    );
    assert.ok(
      files.some((f) => f.includes(`${path.sep}hf-home${path.sep}`)),
      'the search covers the weights cache',
    );
    const leaks = files.filter((f) => fs.readFileSync(f).includes(TOKEN));
    assert.deepEqual(leaks, [], `the token is in: ${leaks.join(', ')}`);
    assert.ok(!agent.output().includes(TOKEN.slice(0, 27)), "the agent's stdout and stderr do not hold the token");
    assert.ok(agent.output().includes('"method":"models/fetchProgress"'), 'the search covers the RPC traffic');
    assert.ok(!agent.rpcLog.join('\n').includes(TOKEN.slice(0, 27)), 'nor does the RPC log');
  } finally {
    agent.close();
  }
}

describe('the Hugging Face token over the agent protocol', () => {
  it("local target: a gated model is planned, submitted, fetched with the client's token; no file, stream or log holds it", async () => {
    await submitWithToken('local');
  });

  it('SLURM target: the same through sbatch', { skip: SKIP_WITHOUT_SLURM }, async () => {
    await submitWithToken('slurm');
  });

  it('the agent refuses a token that could break a line, without repeating it', async () => {
    const { workdir, request } = workspace('local');
    const child = spawn(process.execPath, [bins.agent, 'serve', '--workdir', workdir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
    try {
      const bad = 'hf_secretpart\nexport EVIL=1';
      for (const [method, params] of [
        [Submit.name, { request, hfToken: bad }],
        [ModelsFetch.name, { cluster: request.cluster, models: request.models, hfToken: bad }],
      ] as const) {
        await assert.rejects(
          connection.sendRequest(method, params),
          (e: Error) =>
            /invalid params: hfToken: a Hugging Face token is one line/.test(e.message) &&
            !e.message.includes('secretpart'),
        );
      }
      assert.ok(!fs.existsSync(path.join(workdir, 'runs')), 'nothing was submitted');
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
