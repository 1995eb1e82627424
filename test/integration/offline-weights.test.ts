import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeHub } from '../unit/support/datasets/hub-server';
import { putModelRepo } from '../unit/support/models/model-fixture';
import {
  agent,
  binariesBefore,
  numberedSamples,
  requestCounts,
  rightAnswers,
  SKIP_WITHOUT_SLURM,
  statusOf,
  writeWorkspace,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

/**
 * Compute nodes without network: every job re-executes itself under `unshare -rn` from the profile's first setup
 * line (a network namespace with only loopback, as on an air-gapped node; it works for root and for unprivileged
 * users with user namespaces), and a second setup line records whether the fake Hub is reachable from the job.
 * A model fetched on the login node (`evalbench fetch --models`) still runs: the job has HF_HOME and
 * HF_HUB_OFFLINE=1, and the stand-in loads only what the cache holds, as vLLM does. A model that is not cached is
 * refused by the plan, before anything is submitted.
 */
const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir);
const samples = numberedSamples('w', 3);
let hub: FakeHub;

before(async () => {
  hub = await new FakeHub().start();
  putModelRepo(hub, 'org/tiny');
  hub.setModelFile(
    'org/sql-lora',
    'main',
    'adapter_config.json',
    Buffer.from('{"r": 8, "base_model_name_or_path": "org/tiny"}'),
  );
  hub.setModelFile('org/sql-lora', 'main', 'adapter_model.safetensors', randomBytes(20_000));
});
after(() => hub.close());

function offlineWorkspace(
  models: Record<string, string>,
  modelExtra: Record<string, Record<string, unknown>> = {},
): string {
  const ws = dir('ws');
  const port = new URL(hub.url).port;
  writeWorkspace({
    dir: ws,
    standin: bins.standin,
    models,
    modelExtra,
    datasets: { qa: { samples } },
    answers: rightAnswers(samples),
    clusterExtra: {
      offlineNodes: true,
      setup: [
        `[ -n "$EVALBENCH_TEST_NO_NETWORK" ] || exec env EVALBENCH_TEST_NO_NETWORK=1 unshare -rn bash -c 'ip link set lo up && exec bash "$0"' "$0"`,
        `if (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; then echo "evalbench-test: the Hub is reachable"; else echo "evalbench-test: no network"; fi`,
      ],
    },
  });
  return ws;
}

function jobLogs(workdir: string, runId: string): string {
  const logs = path.join(workdir, 'runs', runId, 'logs');
  return fs
    .readdirSync(logs)
    .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
    .join('\n');
}

async function runOffline(
  ws: string,
  target: 'local' | 'slurm',
  env: NodeJS.ProcessEnv = {},
): Promise<{ runId: string; workdir: string }> {
  const r = await agent(
    bins.agent,
    ['run', '--workspace', ws, '--category', 'pair', '--target', target, '--json', '--wait'],
    { HF_ENDPOINT: hub.url, HF_TOKEN: '', ...env },
    180_000,
  );
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return {
    runId: (JSON.parse(r.stdout.split('\n')[0]!) as { runId: string }).runId,
    workdir: path.join(ws, `wd-${target}`),
  };
}

describe('jobs without network run prefetched weights', () => {
  it(
    'SLURM: a model fetched on the login node runs in a job that cannot reach the Hub (HF_HUB_OFFLINE=1, HF_HOME in the work directory)',
    { skip: SKIP_WITHOUT_SLURM },
    async () => {
      const ws = offlineWorkspace({ tiny: 'org/tiny' });
      const fetched = await agent(
        bins.agent,
        ['fetch', '--workspace', ws, '--models', 'tiny', '--target', 'slurm', '--json'],
        { HF_ENDPOINT: hub.url },
      );
      assert.equal(fetched.code, 0, fetched.stderr);
      const hfHome = path.join(ws, 'wd-slurm', 'hf-home');
      assert.equal((JSON.parse(fetched.stdout) as { hfHome: string }).hfHome, hfHome);

      const { runId, workdir } = await runOffline(ws, 'slurm');
      const s = await statusOf(bins.agent, runId, workdir);
      assert.deepEqual(
        s.taskStates.map((t) => [t.model, t.state, t.value]),
        [['tiny', 'done', 1]],
        JSON.stringify(s.taskStates),
      );
      const log = jobLogs(workdir, runId);
      assert.match(log, /evalbench-test: no network/, 'the job ran without network');
      assert.doesNotMatch(log, /the Hub is reachable/);
      const script = fs.readFileSync(path.join(workdir, 'runs', runId, 'jobs', 'tiny.sbatch'), 'utf8');
      assert.match(script, new RegExp(`^export HF_HOME=${hfHome.replace(/[/.-]/g, '\\$&')}$`, 'm'));
      assert.match(script, /^export HF_HUB_OFFLINE=1$/m);
    },
  );

  it('a model that is not cached fails at plan time, naming the fetch; nothing is submitted', async () => {
    const ws = offlineWorkspace({ unfetched: 'org/tiny' });
    const r = await agent(bins.agent, ['run', '--workspace', ws, '--category', 'pair', '--target', 'local', '--json'], {
      HF_ENDPOINT: hub.url,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /model "unfetched": org\/tiny is not in the Hugging Face cache \(.*hf-home\) and the profile's compute nodes have no network \("offlineNodes"\): fetch it first \(evalbench fetch --models unfetched\)/,
    );
    assert.ok(
      !fs.existsSync(path.join(ws, 'wd-local', 'runs')) ||
        fs.readdirSync(path.join(ws, 'wd-local', 'runs')).length === 0,
      'no run was created',
    );
  });

  it('local target: a checkpoint directory ($VAR expanded in the job) and its Hub LoRA adapter, each a model column, offline', async () => {
    const ckptRoot = dir('ckpt');
    fs.mkdirSync(path.join(ckptRoot, 'step-1000'));
    fs.writeFileSync(path.join(ckptRoot, 'step-1000', 'config.json'), '{"model_type": "llama"}');
    const ws = offlineWorkspace({ mine: '$CKPT_ROOT/step-1000' }, { mine: { adapters: { sql: 'org/sql-lora' } } });
    const fetched = await agent(
      bins.agent,
      ['fetch', '--workspace', ws, '--models', 'mine', '--target', 'local', '--json'],
      { HF_ENDPOINT: hub.url },
    );
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.deepEqual(
      (JSON.parse(fetched.stdout) as { models: Array<{ source: string }> }).models.map((m) => m.source),
      ['org/sql-lora'],
      'the checkpoint directory is not fetched',
    );

    const { runId, workdir } = await runOffline(ws, 'local', { CKPT_ROOT: ckptRoot });
    const s = await statusOf(bins.agent, runId, workdir);
    assert.deepEqual(
      s.taskStates.map((t) => [t.model, t.state, t.value]),
      [
        ['mine', 'done', 1],
        ['mine:sql', 'done', 1],
      ],
      JSON.stringify(s.taskStates),
    );
    assert.deepEqual(
      requestCounts(path.join(ws, 'standin-requests.jsonl')),
      { mine: 3, sql: 3 },
      "the adapter column's requests name the adapter",
    );
    const log = jobLogs(workdir, runId);
    assert.match(
      log,
      new RegExp(
        `args: serve ${ckptRoot.replace(/[/.-]/g, '\\$&')}/step-1000 .*--enable-lora --lora-modules sql=org/sql-lora`,
      ),
      'the engine got the expanded path and the adapter',
    );
    assert.match(log, /evalbench-test: no network/);
  });
});
