import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import {
  describePlanDataset,
  stageCandidates,
  stagedName,
  StagedFileSchema,
} from '../../../../common/run/dataset-files';
import { RunRequestSchema, type RunRequest } from '../../../../common/run/request';
import { withResolvedDatasetPaths } from '../../../../remote-agent/runs/dataset-locations';
import { fetchHubFiles } from '../../../../remote-agent/runs/fetch-hub-files';
import { PlanError } from '../../../../remote-agent/runs/plan-error';
import { planRequest } from '../../../../remote-agent/runs/plan-request';
import { countRecords } from '../../../../remote-agent/datasets/count';
import { hashFile } from '../../../../remote-agent/runs/hash-file';
import { copyStagedFiles, workspaceDatasetFiles } from '../../../../remote-agent/runs/stage-files';
import { FakeHub } from '../../support/datasets/hub-server';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `evalbench-${prefix}-`));
  dirs.push(d);
  return d;
}

const GSM = '{"question":"1+1?","answer":"#### 2"}\n{"question":"2+2?","answer":"#### 4"}\n';

function request(datasets: Record<string, unknown>, extra: Partial<RunRequest> = {}): RunRequest {
  return RunRequestSchema.parse({
    selection: { models: ['m'], datasets: Object.keys(datasets) },
    presetId: 'p',
    preset: PresetSchema.parse({}),
    clusterId: 'c',
    cluster: ClusterSchema.parse({ kind: 'slurm', workdir: '/w' }),
    models: { m: ModelSchema.parse({ hf: 'o/m', params: 1 }) },
    datasets: Object.fromEntries(Object.entries(datasets).map(([k, v]) => [k, DatasetSchema.parse(v)])),
    ...extra,
  });
}

describe('where the plan says each dataset is read', () => {
  it('uploads a workspace file by hash once, reads a clusterPath in place, and blocks on a file missing everywhere', async () => {
    const workspace = tmp('ws');
    const workdir = tmp('wd');
    const shared = tmp('shared');
    fs.mkdirSync(path.join(workspace, 'data'));
    fs.writeFileSync(path.join(workspace, 'data', 'gsm8k.jsonl'), GSM);
    fs.writeFileSync(path.join(shared, 'arc.jsonl'), GSM);
    const req = request({
      gsm: { format: 'gsm8k', path: 'data/gsm8k.jsonl' },
      arc: { format: 'gsm8k', path: 'data/arc.jsonl', clusterPath: path.join(shared, 'arc.jsonl') },
      gone: { format: 'gsm8k', path: 'data/gone.jsonl' },
      lost: { format: 'gsm8k', path: 'data/x.jsonl', clusterPath: '/nowhere/x.jsonl' },
    });
    const staged = await workspaceDatasetFiles(req, workspace);
    assert.deepEqual(
      Object.keys(staged.files),
      ['gsm'],
      'only a file the workspace has is staged; a clusterPath is not uploaded',
    );
    const withFiles = { ...req, datasetFiles: staged.files, workspaceRoot: workspace };
    const place = { workdir, datasetRoot: workdir };

    const first = planRequest(withFiles, place);
    assert.ok(first.ok);
    const byId = Object.fromEntries(first.plan.datasets!.map((d) => [d.dataset, d]));
    const sha = staged.files.gsm!.path!.sha256;
    assert.deepEqual(byId.gsm, {
      dataset: 'gsm',
      field: 'path',
      declared: 'data/gsm8k.jsonl',
      source: 'upload',
      reads: path.join(workdir, 'datasets', sha, 'gsm8k.jsonl'),
      present: true,
      upload: true,
      bytes: GSM.length,
    });
    assert.equal(byId.arc!.source, 'cluster');
    assert.equal(byId.arc!.reads, path.join(shared, 'arc.jsonl'));
    assert.equal(byId.arc!.present, true);
    assert.deepEqual(first.plan.errors, [
      `dataset "gone": file data/gone.jsonl is missing everywhere; tried ${path.join(workspace, 'data/gone.jsonl')} (workspace), ${path.join(workdir, 'data/gone.jsonl')}`,
      'dataset "lost": file data/x.jsonl is missing everywhere; tried /nowhere/x.jsonl (clusterPath)',
    ]);
    assert.deepEqual(
      first.plan.tasks.find((t) => t.dataset === 'gsm')?.samples,
      2,
      'the client counted the records of the file to upload',
    );
    assert.match(
      describePlanDataset(byId.gsm!),
      /^gsm: data\/gsm8k\.jsonl → upload 76 B to .*\/datasets\/[0-9a-f]{64}\/gsm8k\.jsonl$/,
    );

    assert.deepEqual(await copyStagedFiles(staged, staged.local, workdir), { copied: 1, bytes: GSM.length });
    const file = path.join(workdir, 'datasets', sha, 'gsm8k.jsonl');
    assert.equal(fs.readFileSync(file, 'utf8'), GSM);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700, 'the hash directory is private');
    assert.equal(fs.statSync(file).mode & 0o022, 0, 'nobody else may write the file');
    assert.deepEqual(
      await copyStagedFiles(staged, staged.local, workdir),
      { copied: 0, bytes: 0 },
      'a second run copies nothing',
    );
    const second = planRequest(withFiles, place);
    assert.ok(second.ok);
    assert.equal(second.plan.datasets!.find((d) => d.dataset === 'gsm')!.upload, false);
    assert.match(describePlanDataset(second.plan.datasets!.find((d) => d.dataset === 'gsm')!), /already uploaded at/);

    const resolved = withResolvedDatasetPaths(withFiles, second.files);
    assert.equal(resolved.datasets.gsm!.path, file, 'the job reads the uploaded copy');
    assert.equal(resolved.datasets.arc!.path, path.join(shared, 'arc.jsonl'));
  });

  it('refuses a copy when the workspace file changed since it was hashed', async () => {
    const workspace = tmp('ws');
    fs.writeFileSync(path.join(workspace, 'a.jsonl'), GSM);
    const staged = await workspaceDatasetFiles(request({ a: { format: 'gsm8k', path: 'a.jsonl' } }), workspace);
    fs.writeFileSync(path.join(workspace, 'a.jsonl'), GSM.replace('1+1', '1+2'));
    const workdir = tmp('wd');
    await assert.rejects(copyStagedFiles(staged, staged.local, workdir), /changed since it was planned/);
    assert.deepEqual(
      fs.readdirSync(path.join(workdir, 'datasets', staged.files.a!.path!.sha256)),
      [],
      'no partial or wrong file is left',
    );
  });

  it('hashes a file as sha256sum does and counts its JSON lines', async () => {
    const d = tmp('hash');
    fs.writeFileSync(path.join(d, 'x.jsonl'), '{"a":1}\n{"a":2}');
    const h = await hashFile(path.join(d, 'x.jsonl'));
    assert.deepEqual(h, {
      sha256: createHash('sha256').update('{"a":1}\n{"a":2}').digest('hex'),
      size: 15,
      records: 2,
    });
  });

  it('counts the records of a JSON lines file with blank lines as the agent does, so the plan keeps its size after upload', async () => {
    const d = tmp('blank');
    const file = path.join(d, 'x.jsonl');
    fs.writeFileSync(file, '\n{"a":1}\r\n  \n\n{"a":2}\n\t\n{"a":3}  ');
    assert.equal((await hashFile(file)).records, 3);
    assert.equal(countRecords(file), 3);
  });
});

describe('staged file names and hostile requests', () => {
  it('keeps a plain base name with its extension', () => {
    assert.equal(stagedName('data/gsm8k.jsonl.gz'), 'gsm8k.jsonl.gz');
    assert.equal(stagedName('../../etc/passwd'), 'passwd');
    assert.equal(stagedName('data/-rf $(x).jsonl'), 'f-rf___x_.jsonl');
    assert.equal(stagedName('..'), 'f.');
    for (const n of ['data/gsm8k.jsonl.gz', '../../etc/passwd', 'a b;c`d`.csv', '.hidden', 'ünï.json'])
      assert.ok(StagedFileSchema.safeParse({ sha256: 'a'.repeat(64), size: 1, name: stagedName(n) }).success, n);
  });

  it('refuses names and hashes that would leave the hash directory', () => {
    for (const name of ['../x', 'a/b', '..', '.', '', '-x', 'a\nb', 'x'.repeat(201)]) {
      assert.equal(
        StagedFileSchema.safeParse({ sha256: 'a'.repeat(64), size: 1, name }).success,
        false,
        JSON.stringify(name),
      );
    }
    for (const sha256 of ['../../x', 'A'.repeat(64), 'a'.repeat(63)])
      assert.equal(StagedFileSchema.safeParse({ sha256, size: 1, name: 'x.jsonl' }).success, false, sha256);
  });

  it('stages relative paths, and absolute ones only for a target on another machine; data files with images too', () => {
    const f = 'gsm8k' as const;
    const datasets = {
      a: { format: f, path: 'data/a.jsonl', fewShotPath: 'data/shots.jsonl' },
      b: { format: f, path: '/home/me/b.jsonl' },
      c: { format: f, path: 'hf:o/n@test' },
      d: { format: f, path: 'd.jsonl', clusterPath: '/s/d.jsonl' },
      e: { format: f, path: '$SCRATCH/e.jsonl' },
      images: { format: 'multimodal' as const, path: 'data/mm.jsonl' },
    };
    assert.deepEqual(
      stageCandidates(datasets, false).map((c) => `${c.dataset}.${c.field}`),
      ['a.path', 'a.fewShotPath', 'images.path'],
    );
    assert.deepEqual(
      stageCandidates(datasets, true).map((c) => `${c.dataset}.${c.field}`),
      ['a.path', 'a.fewShotPath', 'b.path', 'images.path'],
    );
  });
});

describe('Hub datasets are fetched on the login node before submission', () => {
  let hub: FakeHub;
  const saved = process.env.HF_ENDPOINT;
  before(async () => {
    hub = await new FakeHub().start();
    process.env.HF_ENDPOINT = hub.url;
  });
  after(async () => {
    if (saved === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = saved;
    await hub.close();
  });

  it('lists the split as to fetch, fetches it into the work directory, and the job reads the cached rows', async () => {
    hub.setFile('org/sums', 'main', 'test.jsonl', Buffer.from(GSM));
    const workdir = tmp('wd');
    const req = request({ sums: { format: 'gsm8k', path: 'hf:org/sums@test' } });
    const planned = planRequest(req, { workdir, datasetRoot: workdir });
    assert.ok(planned.ok);
    assert.equal(planned.plan.errors, undefined);
    assert.deepEqual(
      planned.plan.datasets!.map((d) => [d.source, d.present]),
      [['hub', false]],
    );
    const files = await fetchHubFiles(req, planned.files, workdir);
    const cached = files.get('sums\0path')!;
    assert.ok(cached.startsWith(path.join(workdir, 'cache', 'datasets')), cached);
    assert.equal(fs.readFileSync(cached, 'utf8').trim().split('\n').length, 2);
    assert.equal(withResolvedDatasetPaths(req, planned.files, files).datasets.sums!.path, cached);
    const again = planRequest(req, { workdir, datasetRoot: workdir });
    assert.ok(again.ok);
    assert.equal(again.plan.datasets![0]!.present, true);

    const missing = request({ nope: { format: 'gsm8k', path: 'hf:org/nope@test' } });
    const p = planRequest(missing, { workdir, datasetRoot: workdir });
    assert.ok(p.ok);
    await assert.rejects(
      fetchHubFiles(missing, p.files, workdir),
      (e: unknown) => e instanceof PlanError && /dataset "nope": .*org\/nope/.test(e.message),
    );
  });
});
