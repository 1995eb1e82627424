// Model weights and the Hugging Face token in a real VS Code: the token in SecretStorage, the launch fetching weights
// into HF_HOME before submission (cancellable, resumed later), and the token reaching a job without entering the run
// store. The Hub is the project's fake Hub on 127.0.0.1, served from this extension host; a local profile's setup
// line points the agent and its jobs at it, and its "engine" only sleeps (each run is cancelled once checked).
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { EvalbenchApi } from '../../../src/extension';
import type { LaunchResult } from '../../../src/runs/submit-step';
import type { WeightsFetchOutcome } from '../../../src/runs/weights-fetch-step';
import { FakeHub, sha256 } from '../../unit/support/datasets/hub-server';
import { putModelRepo } from '../../unit/support/models/model-fixture';
import { activateEvalbench, catalogFile, readText, waitFor, workspaceFolder, writeText } from './helpers';

// Shell syntax inside: it must travel as data.
const TOKEN = `hf_${randomBytes(12).toString('hex')}$(id)';"`;
const PROFILE = 'weights';
const SHARD = 'model-00001-of-00002.safetensors';

describe('model weights and the Hugging Face token (extension host)', function () {
  this.timeout(120_000);
  let api: EvalbenchApi;
  let hub: FakeHub;
  let shardBlob = '';
  const originals = new Map<string, string>();
  const ws = () => workspaceFolder().uri.fsPath;
  const workdir = () => path.join(ws(), '.evalbench-runs-weights');
  const tokenSeen = () => path.join(ws(), 'ehw-token-seen');
  const runsCount = () =>
    fs.existsSync(path.join(workdir(), 'runs')) ? fs.readdirSync(path.join(workdir(), 'runs')).length : 0;
  const repoDir = (repo: string) => path.join(workdir(), 'hf-home', 'hub', `models--${repo.replace('/', '--')}`);
  const launch = (model: string, name: string, extra: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand<LaunchResult | undefined>('evalbench.launch', undefined, undefined, {
      selection: { models: [model], datasets: ['ehw_math'] },
      clusterId: PROFILE,
      presetId: 'balanced',
      name,
      confirm: true,
      ...extra,
    });
  const cancelRun = async (r: LaunchResult) => {
    await vscode.commands.executeCommand(
      'evalbench.runs.cancel',
      { type: 'run', key: `${r.clusterId}/${r.runId}` },
      { confirmed: true },
    );
    await waitFor(
      () => api.runs.service.get(`${r.clusterId}/${r.runId}`)?.status.state === 'cancelled',
      () => `run ${r.runId} cancelled`,
      60_000,
    );
  };
  const edit = async (file: string, key: string, value: unknown) => {
    const uri = catalogFile(file);
    const text = await readText(uri);
    if (!originals.has(file)) originals.set(file, text);
    await writeText(
      uri,
      applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } })),
    );
  };

  before(async () => {
    api = await activateEvalbench();
    hub = await new FakeHub().start();
    putModelRepo(hub, 'org/eh-gated');
    hub.models.get('org/eh-gated')!.gatedToken = TOKEN;
    shardBlob = sha256(putModelRepo(hub, 'org/eh-big')[SHARD]!);
    await writeText(
      vscode.Uri.joinPath(workspaceFolder().uri, 'data', 'ehw_math.jsonl'),
      '{"question": "1+1?", "answer": "#### 2"}\n',
    );
    await edit('datasets.jsonc', 'ehw_math', { format: 'gsm8k', path: 'data/ehw_math.jsonl', maxTokens: 16 });
    await edit('models.jsonc', 'eh-gated', { hf: 'org/eh-gated', params: 1, chat: true });
    await edit('models.jsonc', 'eh-big', { hf: 'org/eh-big', params: 1, chat: true });
    // The agent runs the setup lines too (not as a job: no EVALBENCH_JOB_ID); the job records only a hash of its token,
    // whole (renamed in), so the test never reads a file the redirection has created but not yet filled.
    await edit('clusters.jsonc', PROFILE, {
      kind: 'local',
      workdir: '.evalbench-runs-weights',
      gpusPerNode: 1,
      setup: [
        `export HF_ENDPOINT=${hub.url}`,
        `[ -z "$EVALBENCH_JOB_ID" ] || { printf %s "$HF_TOKEN" | sha256sum | cut -c1-64 > ${tokenSeen()}.tmp && mv ${tokenSeen()}.tmp ${tokenSeen()}; }`,
      ],
      engines: { vllm: 'sleep 600 {port}' },
    });
    await waitFor(
      () => {
        const c = api.catalog.service.folders()[0]?.loaded.catalog;
        return c?.clusters[PROFILE] && c.models['eh-big'] && c.datasets['ehw_math'];
      },
      () => 'the catalog has the test profile, models and dataset',
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('evalbench.clearHfToken');
    for (const [file, text] of originals) await writeText(catalogFile(file), text);
    await hub?.close();
  });

  it('keeps the token in SecretStorage only: set, read back, cleared; never in the settings', async () => {
    await vscode.commands.executeCommand('evalbench.setHfToken', 'has a space');
    assert.equal(await api.runs.tokens.get(), undefined, 'a malformed token is not stored');
    await vscode.commands.executeCommand('evalbench.setHfToken', TOKEN);
    assert.equal(await api.runs.tokens.get(), TOKEN);
    const settings = path.join(ws(), '.vscode', 'settings.json');
    assert.ok(!fs.existsSync(settings) || !fs.readFileSync(settings, 'utf8').includes(TOKEN.slice(0, 20)));
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('evalbench')).includes(TOKEN.slice(0, 20)));
    await vscode.commands.executeCommand('evalbench.clearHfToken');
    assert.equal(await api.runs.tokens.get(), undefined);
  });

  it('without a token a gated model blocks the plan; with one, the job reads it from a file it then removes, and nothing keeps it', async () => {
    assert.equal(await launch('eh-gated', 'no token'), undefined, 'gated without token: nothing submitted');
    assert.equal(runsCount(), 0);
    await vscode.commands.executeCommand('evalbench.setHfToken', TOKEN);
    // The job downloads at run time (no fetch first): it gets HF_TOKEN.
    const run = await launch('eh-gated', 'token at run time', { fetchWeights: false });
    assert.ok(run, 'submitted');
    assert.deepEqual(
      run.plan.models?.[0]?.sources.map((s) => s.state),
      ['download'],
    );
    const seen = await waitFor(
      () => fs.existsSync(tokenSeen()) && fs.readFileSync(tokenSeen(), 'utf8').trim(),
      () => 'the job records the hash of its HF_TOKEN',
      60_000,
    );
    assert.equal(seen, createHash('sha256').update(TOKEN).digest('hex'));
    await cancelRun(run);
    const runDir = path.join(workdir(), 'runs', run.runId);
    assert.ok(!fs.existsSync(path.join(runDir, 'jobs', 'eh-gated.hf-token')), 'the token file is gone');
    const leaks = filesUnder(workdir()).filter((f) => fs.readFileSync(f).includes(TOKEN));
    assert.deepEqual(leaks, [], `the token is in ${leaks.join(', ')}`);
    assert.ok(
      filesUnder(runDir).some((f) => f.endsWith('eh-gated.sbatch')) &&
        filesUnder(runDir).some((f) => f.endsWith('run.json')),
      'the search covered the run',
    );
  });

  it('cancelling the fetch before submission submits nothing and keeps the partial file; Fetch Model Weights resumes it', async () => {
    const before = runsCount();
    hub.stallAfter.set(SHARD, 100_000);
    const cancel = new vscode.CancellationTokenSource();
    const blobs = path.join(repoDir('org/eh-big'), 'blobs');
    const partial = path.join(blobs, `${shardBlob}.incomplete`);
    const launching = launch('eh-big', 'cancelled fetch', { fetchCancel: cancel.token });
    try {
      await waitFor(
        () => fs.existsSync(partial) && fs.statSync(partial).size > 0,
        () => 'the shard is downloading',
        60_000,
      );
    } finally {
      cancel.cancel();
    }
    assert.equal(await launching, undefined, 'nothing was submitted');
    assert.equal(runsCount(), before);
    const kept = fs.statSync(partial).size;
    assert.ok(kept > 0 && kept <= 100_000);
    assert.ok(!fs.existsSync(path.join(repoDir('org/eh-big'), 'refs', 'main')), 'the snapshot is not marked complete');

    const outcome = await vscode.commands.executeCommand<WeightsFetchOutcome | undefined>(
      'evalbench.fetchModelWeights',
      { type: 'entry', kind: 'models', id: 'eh-big' },
      undefined,
      { clusterId: PROFILE },
    );
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    assert.ok(
      hub.ranges.includes(`${SHARD}: bytes=${kept}-`),
      `resumed with a Range request (${hub.ranges.join('; ')})`,
    );
    assert.ok(!fs.existsSync(partial) && fs.existsSync(path.join(blobs, shardBlob)), 'the blob is complete');
    assert.ok(fs.existsSync(path.join(repoDir('org/eh-big'), 'refs', 'main')));
  });

  it('fetches the weights the plan says are to download, then submits a job that runs offline from the cache', async () => {
    const run = await launch('eh-gated', 'fetch then submit');
    assert.ok(run, 'submitted');
    assert.deepEqual(
      run.plan.models?.[0]?.sources.map((s) => s.state),
      ['download'],
      'the plan before the fetch',
    );
    assert.ok(fs.existsSync(path.join(repoDir('org/eh-gated'), 'refs', 'main')), 'the snapshot is in HF_HOME');
    const script = fs.readFileSync(path.join(workdir(), 'runs', run.runId, 'jobs', 'eh-gated.sbatch'), 'utf8');
    assert.match(script, /^export HF_HUB_OFFLINE=1$/m, 'the job reads the cache only');
    assert.doesNotMatch(script, /hf-token/, 'a job that downloads nothing gets no token');
    await waitFor(
      () => api.runs.service.get(`${run.clusterId}/${run.runId}`)?.status.jobs[0]?.state === 'RUNNING',
      () => 'the job runs',
      60_000,
    );
    await cancelRun(run);
  });

  it('a failed fetch names the cause and how to fix it, and submits nothing', async () => {
    await vscode.commands.executeCommand('evalbench.clearHfToken');
    const outcome = await vscode.commands.executeCommand<WeightsFetchOutcome | undefined>(
      'evalbench.fetchModelWeights',
      undefined,
      undefined,
      { clusterId: PROFILE, models: ['eh-gated'] },
    );
    // Already cached: nothing to download, no token needed.
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    hub.setModelFile('org/eh-gated', 'main', 'config.json', Buffer.from('{"model_type": "llama", "changed": true}'));
    const refused = await vscode.commands.executeCommand<WeightsFetchOutcome | undefined>(
      'evalbench.fetchModelWeights',
      undefined,
      undefined,
      { clusterId: PROFILE, models: ['eh-gated'] },
    );
    assert.ok(refused && !refused.ok && !refused.cancelled);
    assert.match(
      refused.message,
      /gated model org\/eh-gated: no Hugging Face token is set \(HTTP 401\).*then set the token \(the extension's "Set Hugging Face Token"/,
    );
  });
});

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
