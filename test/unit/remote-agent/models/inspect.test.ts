import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fetchModel } from '../../../../remote-agent/models/fetch-model';
import { inspectModels } from '../../../../remote-agent/models/inspect';
import { ModelSchema } from '../../../../common/catalog/model';
import { offlineLoadFailure } from '../../../doubles/standin-offline';
import { FakeHub } from '../../support/datasets/hub-server';
import { putModelRepo } from '../../support/models/model-fixture';

let hub: FakeHub;
let hfHome: string;
let ckpt: string;

before(async () => {
  hub = await new FakeHub().start();
  hfHome = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-inspect-'));
  ckpt = path.join(hfHome, 'ckpt', 'step-1000');
  fs.mkdirSync(ckpt, { recursive: true });
  for (const repo of ['org/cached', 'org/big', 'org/gated']) putModelRepo(hub, repo);
  hub.models.get('org/gated')!.gatedToken = 'hf_secret';
  await fetchModel({ hfHome, repo: 'org/cached', endpoint: hub.url });
});
after(() => hub.close());

const models = {
  cached: ModelSchema.parse({ hf: 'org/cached' }),
  big: ModelSchema.parse({ hf: 'org/big' }),
  gated: ModelSchema.parse({ hf: 'org/gated', gated: true }),
  local: ModelSchema.parse({ hf: '$CKPT_ROOT/step-1000' }),
  missing: ModelSchema.parse({ hf: '/nonexistent/ckpt/step-9' }),
  unchecked: ModelSchema.parse({ hf: '$NOT_ON_LOGIN_NODE/x' }),
  lora: ModelSchema.parse({ hf: 'org/cached', adapters: { sql: 'org/big' } }),
};

describe("the plan says where each model's weights come from", () => {
  it('cached, to download (size), gated without token, local path, local path missing, not checkable', async () => {
    const env = { HF_ENDPOINT: hub.url, CKPT_ROOT: path.dirname(ckpt) };
    const r = await inspectModels(models, ['cached', 'big', 'gated', 'local', 'missing', 'unchecked', 'lora:sql'], {
      hfHome,
      env,
    });
    const states = Object.fromEntries(r.models.map((m) => [m.model, m.sources.map((s) => s.state)]));
    assert.deepEqual(states, {
      cached: ['cached'],
      big: ['download'],
      gated: ['gated'],
      local: ['path'],
      missing: ['path_missing'],
      unchecked: ['path_unchecked'],
      'lora:sql': ['cached', 'download'],
    });
    const big = r.models.find((m) => m.model === 'big')!.sources[0]!;
    assert.equal(big.commit, hub.commitOf('org/big', 'main'));
    assert.ok(big.bytes! > 500_000 && big.bytes! < 520_000, `only the engine's files are counted: ${big.bytes}`);
    assert.deepEqual(
      r.models.filter((m) => m.offline).map((m) => m.model),
      ['cached', 'local'],
    );
    assert.deepEqual(
      r.errors.map((e) => e.split(':')[0]),
      ['model "gated"', 'model "missing"'],
    );
    assert.match(r.errors[1]!, /local path missing: \/nonexistent\/ckpt\/step-9 is not a directory/);
  });

  it('with offlineNodes a model that is not cached is an error that names the fetch; a cached one is not', async () => {
    const r = await inspectModels(models, ['cached', 'big'], {
      hfHome,
      offlineNodes: true,
      env: { HF_ENDPOINT: hub.url },
    });
    assert.deepEqual(r.errors, [
      `model "big": org/big is not in the Hugging Face cache (${hfHome}) and the profile's compute nodes have no network ("offlineNodes"): fetch it first (evalbench fetch --models big)`,
    ]);
  });

  it('a cached model is recognised without the Hub (nothing asked when the cache answers)', async () => {
    hub.requests.length = 0;
    const r = await inspectModels(models, ['cached'], {
      hfHome,
      offlineNodes: true,
      env: { HF_ENDPOINT: 'http://127.0.0.1:9' },
    });
    assert.deepEqual(r.errors, []);
    assert.equal(hub.requests.length, 0);
  });

  it("the stand-in, like vLLM under HF_HUB_OFFLINE=1, loads the fetched snapshot and refuses an uncached model with vLLM's error", () => {
    const env = { HF_HUB_OFFLINE: '1', HF_HOME: hfHome };
    assert.equal(offlineLoadFailure('org/cached', undefined, env), undefined);
    assert.match(
      offlineLoadFailure('org/big', undefined, env) ?? '',
      /LocalEntryNotFoundError: Cannot find the requested files in the disk cache and outgoing traffic has been disabled[\s\S]*ValueError: Invalid repository ID or local directory specified: 'org\/big'\./,
    );
    assert.equal(
      offlineLoadFailure('org/big', undefined, { HF_HOME: hfHome }),
      undefined,
      'online, vLLM would download it',
    );
  });
});
