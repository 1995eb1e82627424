import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FetchCancelledError, fetchModel, ModelAccessError } from '../../../../remote-agent/models/fetch-model';
import { FakeHub, sha256 } from '../../support/datasets/hub-server';
import { ENGINE_FILES, putModelRepo } from '../../support/models/model-fixture';

const READER = path.join(__dirname, 'read_hf_cache.py');
let hub: FakeHub;
let hfHome: string;

/** The cache as huggingface_hub would read it (the Python reader exits 1 on any layout violation). */
function readCache(
  repo: string,
  revision: string,
): { commit: string; files: Record<string, { size: number; blob: string }> } {
  const r = spawnSync('python3', [READER, hfHome, repo, revision], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { commit: string; files: Record<string, { size: number; blob: string }> };
}

before(async () => {
  hub = await new FakeHub().start();
});
after(() => hub.close());
beforeEach(() => {
  hfHome = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-hfhome-'));
  hub.requests.length = 0;
  hub.ranges.length = 0;
});

describe('fetching a model into the Hugging Face cache layout', () => {
  it('writes refs/main, blobs named by content hash and snapshot symlinks, only the files an engine reads', async () => {
    const files = putModelRepo(hub, 'org/tiny');
    const got = await fetchModel({ hfHome, repo: 'org/tiny', endpoint: hub.url });
    const cache = readCache('org/tiny', 'main');
    assert.equal(cache.commit, hub.commitOf('org/tiny', 'main'));
    assert.equal(got.commit, cache.commit);
    assert.deepEqual(Object.keys(cache.files).sort(), ENGINE_FILES);
    assert.equal(
      cache.files['model-00001-of-00002.safetensors']!.blob,
      sha256(files['model-00001-of-00002.safetensors']!),
      'an LFS blob is named by its SHA-256',
    );
    assert.equal(cache.files['config.json']!.blob.length, 40, 'a regular file is named by its git blob SHA-1');
    assert.equal(
      got.downloadedBytes,
      ENGINE_FILES.reduce((n, f) => n + files[f]!.length, 0),
    );
    assert.ok(hub.downloads('cdn').every((q) => q.authorization === undefined));
  });

  it('a second fetch downloads nothing; a pinned commit resolves without a ref file', async () => {
    putModelRepo(hub, 'org/again');
    await fetchModel({ hfHome, repo: 'org/again', endpoint: hub.url });
    hub.requests.length = 0;
    const again = await fetchModel({ hfHome, repo: 'org/again', endpoint: hub.url });
    assert.equal(again.downloadedBytes, 0);
    assert.equal(hub.requests.filter((q) => q.path.includes('/resolve/') || q.server === 'cdn').length, 0);
    const commit = hub.commitOf('org/again', 'main');
    const pinned = await fetchModel({ hfHome, repo: 'org/again', revision: commit, endpoint: hub.url });
    assert.equal(pinned.commit, commit);
    assert.equal(readCache('org/again', commit).commit, commit);
  });

  it('a download that breaks off leaves a .incomplete blob that the next fetch resumes with a Range request', async () => {
    const files = putModelRepo(hub, 'org/flaky');
    hub.breakAfter.set('model-00001-of-00002.safetensors', 100_000);
    await assert.rejects(fetchModel({ hfHome, repo: 'org/flaky', endpoint: hub.url }), /broke off after/);
    const blobs = path.join(hfHome, 'hub', 'models--org--flaky', 'blobs');
    const partial = fs.readdirSync(blobs).filter((n) => n.endsWith('.incomplete'));
    assert.equal(partial.length, 1);
    assert.ok(fs.statSync(path.join(blobs, partial[0]!)).size >= 100_000);
    const got = await fetchModel({ hfHome, repo: 'org/flaky', endpoint: hub.url });
    assert.ok(
      hub.ranges.some((r) => /model-00001-of-00002\.safetensors: bytes=\d+-/.test(r)),
      hub.ranges.join('\n'),
    );
    const cache = readCache('org/flaky', 'main');
    assert.equal(
      cache.files['model-00001-of-00002.safetensors']!.size,
      files['model-00001-of-00002.safetensors']!.length,
    );
    assert.ok(
      got.downloadedBytes < ENGINE_FILES.reduce((n, f) => n + files[f]!.length, 0),
      'the resumed part was not downloaded twice',
    );
  });

  it('a cancelled fetch stops mid-file with nothing in the snapshot for that file; the next fetch resumes its .incomplete blob', async () => {
    const files = putModelRepo(hub, 'org/cancelled');
    hub.stallAfter.set('model-00001-of-00002.safetensors', 120_000);
    const controller = new AbortController();
    const stalled = hub.stalled();
    // Cancelled once the first bytes of the shard are on disk (its first progress report); the CDN holds the rest.
    const fetching = fetchModel({
      hfHome,
      repo: 'org/cancelled',
      endpoint: hub.url,
      signal: controller.signal,
      onProgress: (p) => p.file === 'model-00001-of-00002.safetensors' && controller.abort(),
    });
    assert.equal(await stalled, 'model-00001-of-00002.safetensors');
    await assert.rejects(
      fetching,
      (e: Error) =>
        e instanceof FetchCancelledError &&
        /cancelled; what was downloaded stays in the cache and the next fetch resumes it/.test(e.message),
    );
    const repoDir = path.join(hfHome, 'hub', 'models--org--cancelled');
    const partial = fs.readdirSync(path.join(repoDir, 'blobs')).filter((n) => n.endsWith('.incomplete'));
    assert.deepEqual(partial, [`${sha256(files['model-00001-of-00002.safetensors']!)}.incomplete`]);
    const kept = fs.statSync(path.join(repoDir, 'blobs', partial[0]!)).size;
    assert.ok(kept > 0 && kept <= 120_000, `${kept} bytes kept`);
    assert.ok(!fs.existsSync(path.join(repoDir, 'refs', 'main')), 'no ref: the snapshot is not complete');
    assert.ok(
      !fs.existsSync(
        path.join(repoDir, 'snapshots', hub.commitOf('org/cancelled', 'main'), 'model-00001-of-00002.safetensors'),
      ),
    );

    const got = await fetchModel({ hfHome, repo: 'org/cancelled', endpoint: hub.url });
    assert.ok(hub.ranges.includes(`model-00001-of-00002.safetensors: bytes=${kept}-`), hub.ranges.join('\n'));
    assert.equal(
      readCache('org/cancelled', 'main').files['model-00001-of-00002.safetensors']!.size,
      files['model-00001-of-00002.safetensors']!.length,
    );
    assert.ok(
      got.downloadedBytes <= ENGINE_FILES.reduce((n, f) => n + files[f]!.length, 0) - kept,
      'the bytes on disk were not downloaded again',
    );
  });

  it('a corrupted transfer is refused and leaves no blob behind', async () => {
    putModelRepo(hub, 'org/corrupt');
    hub.tamper.set('model-00002-of-00002.safetensors', randomBytes(200_000));
    await assert.rejects(
      fetchModel({ hfHome, repo: 'org/corrupt', endpoint: hub.url }),
      /SHA-256 [0-9a-f]+ does not match/,
    );
    hub.tamper.delete('model-00002-of-00002.safetensors');
    const blobs = fs.readdirSync(path.join(hfHome, 'hub', 'models--org--corrupt', 'blobs'));
    assert.ok(!blobs.some((b) => b.endsWith('.incomplete')));
    assert.ok(
      !fs.existsSync(path.join(hfHome, 'hub', 'models--org--corrupt', 'refs', 'main')),
      'no ref to an incomplete snapshot',
    );
  });

  it('.bin weights are taken only when the repository has no safetensors', async () => {
    hub.setModelFile('org/old', 'main', 'config.json', Buffer.from('{}'));
    hub.setModelFile('org/old', 'main', 'pytorch_model.bin', randomBytes(4000));
    hub.setModelFile('org/old', 'main', 'vocab.txt', Buffer.from('a\nb\n'));
    await fetchModel({ hfHome, repo: 'org/old', endpoint: hub.url });
    assert.deepEqual(Object.keys(readCache('org/old', 'main').files).sort(), [
      'config.json',
      'pytorch_model.bin',
      'vocab.txt',
    ]);
  });

  it('a gated model: refused without the token (no file written), fetched with it; the token is in no file', async () => {
    const token = `hf_${randomBytes(12).toString('hex')}`;
    putModelRepo(hub, 'org/gated');
    hub.models.get('org/gated')!.gatedToken = token;
    await assert.rejects(
      fetchModel({ hfHome, repo: 'org/gated', endpoint: hub.url }),
      (e: unknown) =>
        e instanceof ModelAccessError &&
        /gated model org\/gated: no Hugging Face token is set \(HTTP 401\)/.test(e.message),
    );
    await fetchModel({ hfHome, repo: 'org/gated', endpoint: hub.url, token });
    readCache('org/gated', 'main');
    const all = spawnSync('grep', ['-rl', token, hfHome], { encoding: 'utf8' });
    assert.equal(all.stdout, '', 'the token was written to the cache');
    assert.ok(
      hub.requests
        .filter((q) => q.server === 'hub' && q.path.includes('/resolve/'))
        .every((q) => q.authorization === undefined || q.authorization === `Bearer ${token}`),
    );
  });

  it('an unknown repository or revision says so', async () => {
    await assert.rejects(
      fetchModel({ hfHome, repo: 'org/none', endpoint: hub.url }),
      /model org\/none not found|gated model org\/none/,
    );
    putModelRepo(hub, 'org/rev');
    await assert.rejects(
      fetchModel({ hfHome, repo: 'org/rev', revision: 'v9', endpoint: hub.url }),
      /model org\/rev not found .*Invalid rev id: v9/,
    );
  });
});

describe('a hostile Hub', () => {
  it('an ETag that is not a hash never becomes a file name', async () => {
    const evil = http.createServer((req, res) => {
      if (req.url!.startsWith('/api/models/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            sha: 'a'.repeat(40),
            siblings: [
              { rfilename: 'config.json', size: 2 },
              { rfilename: '../../escape.json', size: 2 },
            ],
          }),
        );
      }
      res.writeHead(200, { 'x-repo-commit': 'a'.repeat(40), etag: '"../../../../pwned"', 'content-length': 2 });
      res.end('{}');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    try {
      await assert.rejects(fetchModel({ hfHome, repo: 'org/evil', endpoint: url }), /not a hash/);
      assert.ok(!fs.existsSync(path.join(hfHome, 'pwned')) && !fs.existsSync(path.join(hfHome, 'hub', 'pwned')));
    } finally {
      evil.closeAllConnections();
      evil.close();
    }
  });
});
