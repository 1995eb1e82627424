import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeHub } from '../unit/support/datasets/hub-server';
import { pubmedParquet } from '../unit/support/datasets/parquet-fixture';
import { putModelRepo } from '../unit/support/models/model-fixture';
import { agent, binariesBefore, SKIP_WITHOUT_SLURM, statusOf, writeWorkspace } from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

/**
 * A token given to the agent (HF_TOKEN in its environment) fetches the gated Hub dataset on the login node before
 * submission — it downloads only with it — and appears in no file of the run store: not in run.json, the sbatch
 * script, events.jsonl, the job log, predictions or results, nor in the dataset cache beside them.
 */
const TOKEN = `hf_${randomBytes(18).toString('hex')}`;
const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir);
let hub: FakeHub;

before(async () => {
  hub = await new FakeHub().start();
  hub.setFile(
    'lab/gated-pubmed',
    'refs/convert/parquet',
    'default/test/0000.parquet',
    pubmedParquet([
      {
        pubid: 1n,
        question: 'Does walking lower blood pressure?',
        contexts: ['It fell by 6 mmHg.'],
        final_decision: 'yes',
      },
      {
        pubid: 2n,
        question: 'Does vitamin C shorten the stay?',
        contexts: ['Stays were equal.'],
        final_decision: 'no',
      },
      {
        pubid: 3n,
        question: 'Does the app improve adherence?',
        contexts: ['Uncontrolled pilot.'],
        final_decision: 'maybe',
      },
    ]),
  );
  hub.repos.get('lab/gated-pubmed')!.gatedToken = TOKEN;
  putModelRepo(hub, 'org/solo');
});
after(() => hub.close());

function gatedWorkspace(): string {
  const ws = dir('ws');
  writeWorkspace({
    dir: ws,
    standin: bins.standin,
    models: { solo: 'org/solo' },
    datasets: {},
    answers: { 'walking lower': 'Answer: yes', 'vitamin C': 'Answer: no', 'the app': 'Answer: yes' },
    categories: { gated: { models: ['solo'], datasets: ['pubmed'] } },
  });
  fs.writeFileSync(
    path.join(ws, '.evalbench', 'datasets.jsonc'),
    JSON.stringify({ pubmed: { format: 'pubmedqa', path: 'hf:lab/gated-pubmed@test', maxTokens: 8 } }),
  );
  return ws;
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

async function runWithToken(target: 'local' | 'slurm'): Promise<void> {
  const ws = gatedWorkspace();
  hub.requests.length = 0;
  const r = await agent(
    bins.agent,
    ['run', '--workspace', ws, '--category', 'gated', '--target', target, '--json', '--wait'],
    { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url },
    180_000,
  );
  const { runId } = JSON.parse(r.stdout.split('\n')[0]!) as { runId: string };
  const workdir = path.join(ws, `wd-${target}`);
  const s = await statusOf(bins.agent, runId, workdir);
  assert.deepEqual(
    s.taskStates.map((t) => [t.dataset, t.state, t.value]),
    [['pubmed', 'done', 2 / 3]],
    JSON.stringify(s.taskStates),
  );
  assert.equal(r.code, 0, r.stderr);

  const downloads = hub.requests.filter((q) => q.server === 'hub' && q.path.includes('/resolve/'));
  assert.ok(
    downloads.length >= 1 && downloads.every((q) => q.authorization === `Bearer ${TOKEN}`),
    'the token went to the Hub',
  );
  assert.ok(
    hub.requests.filter((q) => q.server === 'cdn').every((q) => q.authorization === undefined),
    'and not to the CDN',
  );

  const store = path.join(workdir, 'runs', runId);
  const files = filesUnder(workdir);
  for (const must of ['run.json', 'events.jsonl', 'predictions.jsonl', 'result.json', 'records.jsonl', 'source.json']) {
    assert.ok(
      files.some((f) => path.basename(f) === must),
      `the search covers ${must}`,
    );
  }
  assert.ok(
    files.some((f) => f.startsWith(path.join(store, 'jobs')) && f.endsWith('.sbatch')),
    'the search covers the job script',
  );
  assert.ok(
    files.some((f) => f.startsWith(path.join(store, 'logs'))),
    'the search covers the job log',
  );
  const leaks = files.filter((f) => fs.readFileSync(f).includes(TOKEN));
  assert.deepEqual(leaks, [], `the token is in: ${leaks.join(', ')}`);
  assert.match(
    r.stderr,
    /hf:lab\/gated-pubmed@test: downloading 1 file/,
    'the submission shows the download, without the token',
  );
  assert.ok(!r.stderr.includes(TOKEN));
  const log = filesUnder(path.join(store, 'logs'))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
  assert.doesNotMatch(log, /downloading/, 'the job reads the rows fetched at submission: it needs no network');
}

describe('tokens reach jobs without entering the run store', () => {
  it('local target: a gated Hub dataset downloads with HF_TOKEN, and no file of the run store holds it', async () => {
    await runWithToken('local');
  });

  it(
    "SLURM target: the same through sbatch (the environment travels in SLURM's own spool)",
    { skip: SKIP_WITHOUT_SLURM },
    async () => {
      await runWithToken('slurm');
    },
  );

  it('fetch on the login node, then a submission without internet (HF_HUB_OFFLINE) uses the cached copy', async () => {
    const ws = gatedWorkspace();
    const fetched = await agent(
      bins.agent,
      ['fetch', '--workspace', ws, '--dataset', 'pubmed', '--target', 'local', '--json'],
      { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url },
    );
    assert.equal(fetched.code, 0, fetched.stderr);
    const [entry] = JSON.parse(fetched.stdout) as Array<{ file: string; rows: number; fromCache: boolean }>;
    assert.equal(entry!.rows, 3);
    assert.ok(entry!.file.startsWith(path.join(ws, 'wd-local', 'cache', 'datasets') + path.sep), entry!.file);
    // Offline, the engine loads only cached weights too (vLLM under HF_HUB_OFFLINE=1): fetch the model as well.
    const weights = await agent(
      bins.agent,
      ['fetch', '--workspace', ws, '--models', 'solo', '--target', 'local', '--json'],
      { HF_ENDPOINT: hub.url },
    );
    assert.equal(weights.code, 0, weights.stderr);
    const r = await agent(
      bins.agent,
      ['run', '--workspace', ws, '--category', 'gated', '--target', 'local', '--json', '--wait'],
      { HF_TOKEN: '', HF_HUB_OFFLINE: '1', HF_ENDPOINT: 'http://127.0.0.1:9', HF_HOME: dir('hfhome') },
      120_000,
    );
    assert.equal(r.code, 0, r.stderr);
    const { runId } = JSON.parse(r.stdout.split('\n')[0]!) as { runId: string };
    const s = await statusOf(bins.agent, runId, path.join(ws, 'wd-local'));
    assert.equal(s.taskStates[0]!.value, 2 / 3);
    assert.match(r.stderr, /offline \(HF_HUB_OFFLINE\); using the copy cached/);
  });

  it('without the token nothing is submitted: the gated-dataset reason stops the submission', async () => {
    const ws = gatedWorkspace();
    const r = await agent(
      bins.agent,
      ['run', '--workspace', ws, '--category', 'gated', '--target', 'local', '--json', '--wait'],
      { HF_TOKEN: '', HF_ENDPOINT: hub.url, HF_HOME: dir('hfhome') },
      120_000,
    );
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /dataset "pubmed": gated dataset: accept its terms and set HF_TOKEN — lab\/gated-pubmed: no Hugging Face token is set \(HTTP 401\)/,
    );
    assert.equal(
      fs.existsSync(path.join(ws, 'wd-local', 'runs')) ? fs.readdirSync(path.join(ws, 'wd-local', 'runs')).length : 0,
      0,
      'no run was created',
    );
  });
});
