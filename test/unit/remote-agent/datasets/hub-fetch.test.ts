import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { loadDataset } from '../../../../remote-agent/datasets';
import { fetchHubDataset, type HubFetchOptions } from '../../../../remote-agent/datasets/hub';
import { fileIsInSplit } from '../../../../remote-agent/datasets/hub/files';
import { findHfToken } from '../../../../remote-agent/datasets/hub/token';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { FakeHub } from '../../support/datasets/hub-server';
import { imageParquet, pubmedParquet } from '../../support/datasets/parquet-fixture';

const PARQUET = 'refs/convert/parquet';
const ROWS = [
  { pubid: 1n, question: 'Does A help?', contexts: ['A was given.', 'B improved.'], final_decision: 'yes' },
  { pubid: 2n, question: 'Does C help?', contexts: ['C was given.'], final_decision: 'no' },
  { pubid: 9007199254740993n, question: 'Does D help?', contexts: [], final_decision: 'maybe' },
];
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mP4cEkEK2IYWhIAIHp1ga+IPaEAAAAASUVORK5CYII=',
  'base64',
);

let hub: FakeHub;
let cache: string;
const logs: string[] = [];

function opts(extra: Partial<HubFetchOptions> = {}): HubFetchOptions {
  return {
    cacheDir: cache,
    endpoint: hub.url,
    token: undefined,
    offline: false,
    retryDelaysMs: [],
    log: (m) => logs.push(m),
    env: {},
    ...extra,
  };
}

function lines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

before(async () => {
  hub = await new FakeHub().start();
});
after(async () => {
  await hub.close();
});
beforeEach(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-hubcache-'));
  hub.repos.clear();
  hub.requests.length = 0;
  hub.tamper.clear();
  hub.failWith = undefined;
  hub.pageSize = 1000;
  logs.length = 0;
});
afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

describe('Hub datasets: the Parquet conversion (refs/convert/parquet)', () => {
  it('downloads every shard of config/split in order, reads the rows, and caches them under the work directory', async () => {
    hub.setFile('org/pubmed', PARQUET, 'pqa_labeled/train/0000.parquet', pubmedParquet(ROWS.slice(0, 2)));
    hub.setFile('org/pubmed', PARQUET, 'pqa_labeled/train/0001.parquet', pubmedParquet(ROWS.slice(2), 'GZIP'));
    hub.setFile('org/pubmed', PARQUET, 'pqa_labeled/test/0000.parquet', pubmedParquet(ROWS.slice(0, 1)));
    const got = await fetchHubDataset('hf:org/pubmed:pqa_labeled@train', opts());
    assert.equal(got.fromCache, false);
    assert.ok(got.file.startsWith(path.join(cache, 'org', 'pubmed', 'pqa_labeled', 'train') + path.sep), got.file);
    const rows = lines(got.file);
    assert.deepEqual(
      rows.map((r) => r.pubid),
      [1, 2, '9007199254740993'],
    );
    assert.deepEqual(rows[0]!.context, { contexts: ['A was given.', 'B improved.'] });
    assert.equal(got.source.rows, 3);
    assert.equal(got.source.source, 'parquet conversion');
    assert.deepEqual(
      got.source.files.map((f) => f.path),
      ['pqa_labeled/train/0000.parquet', 'pqa_labeled/train/0001.parquet'],
    );
    assert.equal(hub.downloads().length, 2);
    assert.deepEqual(
      fs.readdirSync(path.dirname(path.dirname(got.file))).filter((n) => n.startsWith('.')),
      [],
      'no temporary directory is left behind',
    );
  });

  it('reuses the cached rows while the files are unchanged, and fetches again when one changes', async () => {
    hub.setFile('org/pubmed', PARQUET, 'default/train/0000.parquet', pubmedParquet(ROWS));
    const first = await fetchHubDataset('hf:org/pubmed@train', opts());
    const again = await fetchHubDataset('hf:org/pubmed@train', opts());
    assert.equal(again.fromCache, true);
    assert.equal(again.file, first.file);
    assert.equal(hub.downloads().length, 1, 'the second run downloads nothing');
    hub.setFile('org/pubmed', PARQUET, 'default/train/0000.parquet', pubmedParquet(ROWS.slice(0, 1)));
    const changed = await fetchHubDataset('hf:org/pubmed@train', opts());
    assert.equal(changed.fromCache, false);
    assert.notEqual(changed.file, first.file);
    assert.equal(lines(changed.file).length, 1);
    assert.equal(lines(first.file).length, 3, 'the old revision stays intact for runs that read it');
  });

  it('picks the only config (or "default"), and names the configs when the choice is ambiguous', async () => {
    hub.setFile('org/one', PARQUET, 'main/test/0000.parquet', pubmedParquet(ROWS));
    assert.equal(lines((await fetchHubDataset('hf:org/one@test', opts())).file).length, 3);
    hub.setFile('org/two', PARQUET, 'main/test/0000.parquet', pubmedParquet(ROWS));
    hub.setFile('org/two', PARQUET, 'socratic/test/0000.parquet', pubmedParquet(ROWS));
    await assert.rejects(
      fetchHubDataset('hf:org/two@test', opts()),
      /org\/two has several configs: name one as hf:org\/two:<config>@test \(main, socratic\)/,
    );
    await assert.rejects(
      fetchHubDataset('hf:org/two:nope@test', opts()),
      /has no config "nope" \(configs: main, socratic\)/,
    );
    await assert.rejects(
      fetchHubDataset('hf:org/two:main@validation', opts()),
      /config "main" has no split "validation" \(splits: test\)/,
    );
  });

  it('uses a partial conversion (partial-<split>) when that is all there is', async () => {
    hub.setFile('org/big', PARQUET, 'default/partial-train/0000.parquet', pubmedParquet(ROWS));
    const got = await fetchHubDataset('hf:org/big@train', opts());
    assert.equal(got.source.partial, true);
    assert.ok(logs.some((l) => /partial/.test(l)));
  });

  it('follows the tree listing across pages (Link: rel="next")', async () => {
    hub.pageSize = 2;
    for (let i = 0; i < 5; i++)
      hub.setFile('org/many', PARQUET, `default/test/000${i}.parquet`, pubmedParquet([ROWS[i % 3]!]));
    const got = await fetchHubDataset('hf:org/many@test', opts());
    assert.equal(got.source.files.length, 5);
    assert.equal(lines(got.file).length, 5);
  });

  it('keeps an Image feature ({bytes, path}) as base64 the image loader reads', async () => {
    hub.setFile(
      'org/vqa',
      PARQUET,
      'default/test/0000.parquet',
      imageParquet([{ id: 'v1', question: 'Colour?', answer: 'yellow', image: PNG, path: 'y.png' }]),
    );
    const [row] = lines((await fetchHubDataset('hf:org/vqa@test', opts())).file);
    assert.deepEqual(row!.image, { bytes: PNG.toString('base64'), path: 'y.png' });
  });
});

describe('Hub datasets: the repository files (no Parquet conversion)', () => {
  it("reads the split's JSONL (also gzipped) from main", async () => {
    const jsonl = (ids: string[]) =>
      Buffer.from(
        ids.map((id) => JSON.stringify({ id, question: `q ${id}`, final_decision: 'yes' })).join('\n') + '\n',
      );
    hub.setFile('org/plain', 'main', 'README.md', Buffer.from('# card'));
    hub.setFile('org/plain', 'main', 'data/test.jsonl', jsonl(['t1', 't2']));
    hub.setFile('org/plain', 'main', 'data/train.jsonl.gz', zlib.gzipSync(jsonl(['x1'])));
    const test = await fetchHubDataset('hf:org/plain@test', opts());
    assert.equal(test.source.source, 'repository files');
    assert.deepEqual(
      lines(test.file).map((r) => r.id),
      ['t1', 't2'],
    );
    const train = await fetchHubDataset('hf:org/plain@train', opts());
    assert.deepEqual(
      lines(train.file).map((r) => r.id),
      ['x1'],
    );
  });

  it('needs the config when the split sits in several folders, and lists the data files when the split is absent', async () => {
    const body = Buffer.from(JSON.stringify({ id: 'a', question: 'q', final_decision: 'no' }) + '\n');
    hub.setFile('org/gsm', 'main', 'main/test-00000-of-00001.jsonl', body);
    hub.setFile('org/gsm', 'main', 'socratic/test-00000-of-00001.jsonl', body);
    await assert.rejects(
      fetchHubDataset('hf:org/gsm@test', opts()),
      /split "test" exists in several folders \(main, socratic\)/,
    );
    assert.equal(lines((await fetchHubDataset('hf:org/gsm:socratic@test', opts())).file).length, 1);
    await assert.rejects(
      fetchHubDataset('hf:org/gsm@dev', opts()),
      /no data file for split "dev" \(data files: main\/test-00000-of-00001.jsonl, socratic\/test-00000-of-00001.jsonl\)/,
    );
  });

  it('names splits the way the datasets library does', () => {
    assert.equal(fileIsInSplit('data/test-00000-of-00001.parquet', 'test'), true);
    assert.equal(fileIsInSplit('test.jsonl', 'test'), true);
    assert.equal(fileIsInSplit('data/test/part.parquet', 'test'), true);
    assert.equal(fileIsInSplit('gsm8k_test.jsonl.gz', 'test'), true);
    assert.equal(fileIsInSplit('data/train-00000.parquet', 'test'), false);
    assert.equal(fileIsInSplit('contest.jsonl', 'test'), false);
    assert.equal(fileIsInSplit('pretrain.jsonl', 'train'), false);
  });
});

describe('Hub datasets: tokens and gated sets', () => {
  beforeEach(() => {
    hub.setFile('org/gated', PARQUET, 'default/test/0000.parquet', pubmedParquet(ROWS));
    hub.repos.get('org/gated')!.gatedToken = 'hf_rightRIGHTright';
  });

  it('without a token: the precise gated-dataset error', async () => {
    await assert.rejects(fetchHubDataset('hf:org/gated@test', opts()), (err: Error) => {
      assert.match(err.message, /^gated dataset: accept its terms and set HF_TOKEN/);
      assert.match(
        err.message,
        /no Hugging Face token is set \(HTTP 401\): accept the dataset's terms at http:\/\/127\.0\.0\.1:\d+\/datasets\/org\/gated/,
      );
      return true;
    });
  });

  it('with a refused token: says the token was refused, and never shows it', async () => {
    await assert.rejects(fetchHubDataset('hf:org/gated@test', opts({ token: 'hf_wrongWRONGwrong' })), (err: Error) => {
      assert.match(
        err.message,
        /^gated dataset: accept its terms and set HF_TOKEN — org\/gated: the token was refused \(HTTP 403\)/,
      );
      assert.doesNotMatch(err.message, /hf_wrong/);
      return true;
    });
  });

  it('with the right token: sends it to the Hub as a Bearer token, never to the CDN it redirects to', async () => {
    const got = await fetchHubDataset('hf:org/gated@test', opts({ token: 'hf_rightRIGHTright' }));
    assert.equal(lines(got.file).length, 3);
    const hubCalls = hub.requests.filter((r) => r.server === 'hub');
    assert.ok(hubCalls.length >= 2 && hubCalls.every((r) => r.authorization === 'Bearer hf_rightRIGHTright'));
    assert.equal(hub.downloads('cdn').length, 1);
    assert.equal(hub.downloads('cdn')[0]!.authorization, undefined);
    assert.ok(!logs.join('\n').includes('hf_right'), 'the token is not in the log lines');
    assert.ok(!fs.readFileSync(path.join(path.dirname(got.file), 'source.json'), 'utf8').includes('hf_right'));
  });

  it('finds the token where huggingface_hub does: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the token file', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-hfhome-'));
    try {
      assert.equal(findHfToken({ HF_TOKEN: ' hf_a ', HUGGING_FACE_HUB_TOKEN: 'hf_b', HF_HOME: home }), 'hf_a');
      assert.equal(findHfToken({ HUGGING_FACE_HUB_TOKEN: 'hf_b', HF_HOME: home }), 'hf_b');
      assert.equal(findHfToken({ HF_HOME: home }), undefined);
      fs.writeFileSync(path.join(home, 'token'), 'hf_file\n', { mode: 0o600 });
      assert.equal(findHfToken({ HF_HOME: home }), 'hf_file');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('Hub datasets: failures and offline use', () => {
  it('refuses a download whose hash does not match the listing', async () => {
    hub.setFile('org/bad', PARQUET, 'default/test/0000.parquet', pubmedParquet(ROWS));
    hub.tamper.set('default/test/0000.parquet', pubmedParquet(ROWS.slice(0, 1)));
    await assert.rejects(
      fetchHubDataset('hf:org/bad@test', opts()),
      /org\/bad\/default\/test\/0000\.parquet: downloaded \d+ bytes, the Hub lists \d+|SHA-256 [0-9a-f]+ does not match/,
    );
    assert.equal(
      fs.existsSync(path.join(cache, 'org', 'bad', '_', 'test'))
        ? fs.readdirSync(path.join(cache, 'org', 'bad', '_', 'test')).length
        : 0,
      0,
      'nothing is cached',
    );
  });

  it('says when the repository does not exist', async () => {
    await assert.rejects(
      fetchHubDataset('hf:org/none@test', opts()),
      /dataset org\/none not found on http:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it('uses the newest cached copy when the Hub is unreachable or offline mode is on, and says so', async () => {
    hub.setFile('org/pubmed', PARQUET, 'default/test/0000.parquet', pubmedParquet(ROWS));
    const online = await fetchHubDataset('hf:org/pubmed@test', opts());
    const down = await fetchHubDataset('hf:org/pubmed@test', opts({ endpoint: 'http://127.0.0.1:9' }));
    assert.equal(down.file, online.file);
    assert.equal(down.fromCache, true);
    assert.ok(
      logs.some((l) => /cannot reach http:\/\/127\.0\.0\.1:9 .*using the copy cached/.test(l)),
      logs.join('\n'),
    );
    const offline = await fetchHubDataset(
      'hf:org/pubmed@test',
      opts({ offline: undefined, env: { HF_HUB_OFFLINE: '1' } }),
    );
    assert.equal(offline.file, online.file);
    await assert.rejects(
      fetchHubDataset('hf:org/other@test', opts({ offline: true })),
      /hf:org\/other@test: offline \(HF_HUB_OFFLINE\), and the split is not in the cache/,
    );
  });

  it('retries a 503 and then reports it with the URL', async () => {
    hub.setFile('org/pubmed', PARQUET, 'default/test/0000.parquet', pubmedParquet(ROWS));
    hub.failWith = 503;
    await assert.rejects(
      fetchHubDataset('hf:org/pubmed@test', opts({ retryDelaysMs: [1, 1] })),
      /HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/api\/datasets\/org\/pubmed\/tree\/refs%2Fconvert%2Fparquet: Service Unavailable/,
    );
    assert.equal(hub.requests.length, 3);
  });

  it('waits what a 429 or 503 asks for (Retry-After), not its own long backoff', { timeout: 30_000 }, async () => {
    hub.setFile('org/pubmed', PARQUET, 'default/test/0000.parquet', pubmedParquet(ROWS));
    // Its own wait would be ten minutes: only honouring "Retry-After: 0" lets this finish.
    hub.outage = { status: 429, times: 1, retryAfter: '0' };
    const r = await fetchHubDataset('hf:org/pubmed@test', opts({ retryDelaysMs: [600_000] }));
    assert.equal(lines(r.file).length, 3);
    hub.outage = { status: 503, times: 1, retryAfter: new Date(Date.now() - 5_000).toUTCString() };
    const again = await fetchHubDataset('hf:org/other@test', opts({ retryDelaysMs: [600_000] })).catch((e: Error) => e);
    assert.match(String(again), /org\/other/, 'a date in the past means: retry now');
    assert.equal(hub.outage.times, 0);
  });

  it('two jobs fetching the same split at once both get one complete entry', async () => {
    hub.setFile('org/pubmed', PARQUET, 'default/test/0000.parquet', pubmedParquet(ROWS));
    const [a, b] = await Promise.all([
      fetchHubDataset('hf:org/pubmed@test', opts()),
      fetchHubDataset('hf:org/pubmed@test', opts()),
    ]);
    assert.equal(a.file, b.file);
    assert.equal(lines(a.file).length, 3);
    const dir = path.dirname(path.dirname(a.file));
    assert.deepEqual(fs.readdirSync(dir).length, 1);
  });

  it('rejects malformed paths before any request', async () => {
    await assert.rejects(
      fetchHubDataset('hf:justname@test', opts()),
      /not a Hub dataset path: expected hf:owner\/name\[:config\]@split/,
    );
    await assert.rejects(fetchHubDataset('hf:org/x', opts()), /names no split/);
    assert.equal(hub.requests.length, 0);
  });
});

describe('Hub datasets in the loader and the catalog', () => {
  it('loadDataset turns an hf: path into samples through the format adapter (the job calls it this way)', async () => {
    hub.setFile('org/pubmed', PARQUET, 'pqa_labeled/train/0000.parquet', pubmedParquet(ROWS));
    const prev = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = hub.url;
    try {
      const dataset = DatasetSchema.parse({ format: 'pubmedqa', path: 'hf:org/pubmed:pqa_labeled@train' });
      const loaded = await loadDataset(dataset, { root: '/nonexistent', chat: false, cacheDir: cache, limit: 2 });
      assert.deepEqual(
        loaded.samples.map((s) => [s.reference, s.prompt]),
        [
          ['yes', 'Context: A was given.\nB improved.\nQuestion: Does A help?\nAnswer (yes, no or maybe):'],
          ['no', 'Context: C was given.\nQuestion: Does C help?\nAnswer (yes, no or maybe):'],
        ],
      );
      await assert.rejects(
        loadDataset(DatasetSchema.parse({ format: 'pubmedqa', path: 'hf:org/absent@train' }), {
          root: '/',
          chat: false,
          cacheDir: cache,
        }),
        (err: Error) => err.constructor.name === 'DatasetError' && /dataset org\/absent not found/.test(err.message),
      );
    } finally {
      if (prev === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = prev;
    }
  });

  it('the catalog schema checks hf: paths where they are written', () => {
    const issues = (p: string, extra: Record<string, unknown> = {}) => {
      const r = DatasetSchema.safeParse({ format: 'pubmedqa', path: p, ...extra });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    assert.deepEqual(issues('hf:qiaojin/PubMedQA:pqa_labeled@train'), []);
    assert.deepEqual(issues('hf:qiaojin/PubMedQA', { split: 'train' }), []);
    assert.match(issues('hf:qiaojin/PubMedQA')[0]!, /^path: "hf:qiaojin\/PubMedQA" names no split/);
    assert.match(issues('hf:PubMedQA@train')[0]!, /^path: "hf:PubMedQA@train" is not a Hub dataset path/);
    assert.match(issues('hf:org/x@../etc')[0]!, /not a Hub dataset path/);
  });
});
