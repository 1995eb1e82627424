import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { describePlanDataset, formatBytes, needsUpload, notUploadedError } from '../../../../common/run/dataset-files';
import { RelativeFilePathSchema } from '../../../../common/run/dataset-images';
import { planDrift } from '../../../../common/run/plan-drift';
import { filesToUpload } from '../../../../common/run/planned-uploads';
import { RunRequestSchema, type RunRequest } from '../../../../common/run/request';
import { loadDatasetSync } from '../../../../remote-agent/datasets';
import { withResolvedDatasetPaths } from '../../../../remote-agent/runs/dataset-locations';
import { ensureImageViews } from '../../../../remote-agent/runs/image-views';
import { planRequest } from '../../../../remote-agent/runs/plan-request';
import { collectDatasetImages } from '../../../../remote-agent/runs/stage-images';
import { copyStagedFiles, stagedRequestFields, workspaceDatasetFiles } from '../../../../remote-agent/runs/stage-files';
import { planSummary } from '../../../../src/runs/plan-text';
import { solidPng } from '../../../helpers/png';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `evalbench-${prefix}-`));
  dirs.push(d);
  return d;
}

const RED = solidPng([255, 0, 0]);
const BLUE = solidPng([0, 0, 255]);
const GREEN = solidPng([0, 255, 0]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const q = { question: 'Which colour?', choices: ['red', 'blue', 'green'], answer: 'A' };

/** A workspace with data/vqa.jsonl, its images under data/images/ and one in shared/ (reached with ".."). */
function workspace(records: unknown[]): string {
  const ws = tmp('ws');
  fs.mkdirSync(path.join(ws, 'data', 'images'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'shared'));
  fs.writeFileSync(path.join(ws, 'data', 'images', 'red.png'), RED);
  fs.writeFileSync(path.join(ws, 'data', 'images', 'blue.png'), BLUE);
  fs.writeFileSync(path.join(ws, 'shared', 'green.png'), GREEN);
  fs.writeFileSync(path.join(ws, 'data', 'vqa.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return ws;
}

function request(extra: Partial<RunRequest> = {}): RunRequest {
  return RunRequestSchema.parse({
    selection: { models: ['m'], datasets: ['vqa'] },
    presetId: 'p',
    preset: PresetSchema.parse({}),
    clusterId: 'c',
    cluster: ClusterSchema.parse({ kind: 'slurm', workdir: '/w' }),
    models: { m: ModelSchema.parse({ hf: 'o/m', params: 1, chat: true, vision: true }) },
    datasets: { vqa: DatasetSchema.parse({ format: 'multimodal', path: 'data/vqa.jsonl' }) },
    ...extra,
  });
}

describe('the images a workspace dataset takes along', () => {
  it('collects each referenced file once, by its path below the workspace; inline and remote images stay in the records', async () => {
    const b64 = RED.toString('base64');
    const ws = workspace([
      { id: '1', image: 'images/red.png', ...q },
      { id: '2', image: './images/red.png', ...q },
      { id: '3', images: ['images/blue.png', '../shared/green.png'], ...q },
      { id: '4', image: { path: 'images/blue.png', bytes: null }, ...q },
      {
        id: '5',
        images: [
          `data:image/png;base64,${b64}`,
          b64,
          { bytes: b64, path: 'not/a/file.png' },
          'https://example.org/x.png',
        ],
        ...q,
      },
    ]);
    const { images, local } = await collectDatasetImages(path.join(ws, 'data', 'vqa.jsonl'), ws);
    assert.deepEqual(images, {
      dataFile: 'data/vqa.jsonl',
      images: {
        'data/images/red.png': { sha256: sha(RED), size: RED.length, name: 'red.png' },
        'data/images/blue.png': { sha256: sha(BLUE), size: BLUE.length, name: 'blue.png' },
        'shared/green.png': { sha256: sha(GREEN), size: GREEN.length, name: 'green.png' },
      },
    });
    assert.equal(local.get(sha(GREEN)), path.join(ws, 'shared', 'green.png'));
  });

  it('names each record whose image is missing, absolute or outside the workspace, with its line', async () => {
    const ws = workspace([
      { id: '1', image: 'images/red.png', ...q },
      { id: '2', image: 'images/gone.png', ...q },
      { id: '3', image: '../../outside.png', ...q },
      { id: '4', image: '/etc/hostname', ...q },
      { id: '5', images: ['images/blue.png', '../shared/../../escape.png'], ...q },
    ]);
    fs.writeFileSync(path.join(path.dirname(ws), 'outside.png'), RED);
    dirs.push(path.join(path.dirname(ws), 'outside.png'));
    const { images } = await collectDatasetImages(path.join(ws, 'data', 'vqa.jsonl'), ws);
    assert.deepEqual(Object.keys(images.images), ['data/images/red.png', 'data/images/blue.png']);
    assert.deepEqual(images.problems, [
      { line: 2, image: 'images/gone.png', reason: `missing: ${path.join(ws, 'data', 'images', 'gone.png')}` },
      {
        line: 3,
        image: '../../outside.png',
        reason: `outside the workspace (${path.join(path.dirname(ws), 'outside.png')})`,
      },
      {
        line: 4,
        image: '/etc/hostname',
        reason: 'an absolute path: only paths relative to the data file travel with it',
      },
      {
        line: 5,
        image: '../shared/../../escape.png',
        reason: `outside the workspace (${path.join(path.dirname(ws), 'escape.png')})`,
      },
    ]);

    const staged = await workspaceDatasetFiles(request(), ws);
    const planned = planRequest(
      { ...request(), ...stagedRequestFields(staged), workspaceRoot: ws },
      { workdir: tmp('wd'), datasetRoot: '/w' },
    );
    assert.ok(planned.ok);
    assert.equal(planned.plan.errors?.length, 1);
    assert.equal(
      planned.plan.errors![0],
      `dataset "vqa": 4 images of data/vqa.jsonl cannot be uploaded: line 2: images/gone.png (missing: ${path.join(ws, 'data/images/gone.png')}); line 3: ../../outside.png (outside the workspace (${path.join(path.dirname(ws), 'outside.png')})); line 4: /etc/hostname (an absolute path: only paths relative to the data file travel with it); line 5: ../shared/../../escape.png (outside the workspace (${path.join(path.dirname(ws), 'escape.png')}))`,
    );
  });

  it('lists 20 problems and counts the rest', async () => {
    const ws = workspace(
      Array.from({ length: 25 }, (_, i) => ({ id: String(i), image: `images/none-${i}.png`, ...q })),
    );
    const { images } = await collectDatasetImages(path.join(ws, 'data', 'vqa.jsonl'), ws);
    assert.equal(images.problems?.length, 20);
    assert.equal(images.moreProblems, 5);
    assert.deepEqual(images.problems![19]!.line, 20);
  });

  it('keeps paths relative to the data file folder for a data file outside the workspace', async () => {
    const ws = tmp('ws');
    const elsewhere = workspace([
      { id: '1', image: 'images/red.png', ...q },
      { id: '2', image: '../shared/green.png', ...q },
    ]);
    const { images } = await collectDatasetImages(path.join(elsewhere, 'data', 'vqa.jsonl'), ws);
    assert.equal(images.dataFile, 'vqa.jsonl');
    assert.deepEqual(Object.keys(images.images), ['images/red.png']);
    assert.deepEqual(images.problems, [
      {
        line: 2,
        image: '../shared/green.png',
        reason: `outside the data file's folder (${path.join(elsewhere, 'shared', 'green.png')})`,
      },
    ]);
  });
});

describe('a dataset uploaded with its images', () => {
  it('plans the images with their count and size, copies each once, reuses them, and the job reads them through its view', async () => {
    const ws = workspace([
      { id: '1', image: 'images/red.png', ...q },
      { id: '2', image: 'images/red.png', ...q, answer: 'A' },
      { id: '3', images: ['images/blue.png', '../shared/green.png'], ...q, answer: 'B' },
    ]);
    const workdir = tmp('wd');
    const staged = await workspaceDatasetFiles(request(), ws, true);
    const req = { ...request(), ...stagedRequestFields(staged), workspaceRoot: ws };
    assert.ok(RunRequestSchema.safeParse(req).success, 'the request stays valid');
    const place = { workdir, datasetRoot: workdir };

    const first = planRequest(req, place);
    assert.ok(first.ok);
    assert.equal(first.plan.errors, undefined);
    const line = first.plan.datasets![0]!;
    const imageBytes = RED.length + BLUE.length + GREEN.length;
    assert.deepEqual(line.images, { count: 3, bytes: imageBytes, toUpload: 3, toUploadBytes: imageBytes });
    assert.equal(line.upload, true);
    assert.match(line.reads, new RegExp(`^${workdir}/datasets/with-images/[0-9a-f]{64}/data/vqa\\.jsonl$`));
    assert.match(
      describePlanDataset(line),
      new RegExp(`^vqa: data/vqa\\.jsonl → upload \\d+ B and 3 images \\(${imageBytes} B\\) to ${workdir}/`),
    );
    assert.equal(first.plan.tasks[0]!.samples, 3, "the client's record count");
    assert.match(
      planSummary(first.plan, 'cluster').detail,
      new RegExp(`Datasets \\(${formatBytes(line.bytes! + imageBytes).replace('.', '\\.')} to upload\\)`),
    );

    assert.deepEqual(
      await copyStagedFiles(staged, staged.local, workdir),
      { copied: 4, bytes: line.bytes! + imageBytes },
      'the data file and three images, red once though two records name it',
    );
    // Half uploaded: the data file and one image are there, two images are not.
    fs.rmSync(path.join(workdir, 'datasets', sha(BLUE)), { recursive: true });
    fs.rmSync(path.join(workdir, 'datasets', sha(GREEN)), { recursive: true });
    const partial = planRequest(req, place);
    assert.ok(partial.ok);
    const half = partial.plan.datasets![0]!;
    assert.deepEqual(
      [half.upload, half.images],
      [false, { count: 3, bytes: imageBytes, toUpload: 2, toUploadBytes: BLUE.length + GREEN.length }],
    );
    assert.ok(needsUpload(half));
    assert.equal(
      notUploadedError(half),
      'dataset "vqa": 2 of the 3 images of data/vqa.jsonl are not in the work directory: upload them before submitting',
    );
    assert.match(describePlanDataset(half), /→ upload 2 of its 3 images \(\d+ B of \d+ B\) to /);
    assert.deepEqual(await copyStagedFiles(staged, staged.local, workdir), {
      copied: 2,
      bytes: BLUE.length + GREEN.length,
    });

    const second = planRequest(req, place);
    assert.ok(second.ok);
    const done = second.plan.datasets![0]!;
    assert.deepEqual(
      [done.upload, done.images!.toUpload, needsUpload(done)],
      [false, 0, false],
      'a second run sends nothing',
    );
    assert.deepEqual(
      planDrift(first.plan, second.plan),
      [],
      'the plan confirmed before the upload is the one submitted after it',
    );
    assert.match(describePlanDataset(done), /→ already uploaded with its 3 images \(\d+ B\) at /);

    ensureImageViews(req, workdir);
    ensureImageViews(req, workdir);
    assert.deepEqual(
      fs.readdirSync(path.join(workdir, 'datasets', 'with-images')).length,
      1,
      'one view, made once, no temporary left',
    );
    const resolved = withResolvedDatasetPaths(req, second.files);
    assert.equal(resolved.datasets.vqa!.path, done.reads);
    const loaded = loadDatasetSync(resolved.datasets.vqa!, { root: '/nonexistent', chat: true, vision: true });
    assert.deepEqual(loaded.problems, []);
    type Message = { role: string; content: string | Array<{ type: string; image_url?: { url: string } }> };
    const urls = loaded.samples.map((s) =>
      (s.prompt as Message[]).flatMap((m) =>
        typeof m.content === 'string' ? [] : m.content.flatMap((p) => (p.image_url ? [p.image_url.url] : [])),
      ),
    );
    const png = (b: Buffer) => `data:image/png;base64,${b.toString('base64')}`;
    assert.deepEqual(
      urls,
      [[png(RED)], [png(RED)], [png(BLUE), png(GREEN)]],
      'each record gets its own images, read from the uploaded copies',
    );
    assert.ok(
      fs.lstatSync(path.join(path.dirname(done.reads), 'images', 'red.png')).isSymbolicLink(),
      'the view links to the staged file, it does not copy it',
    );
  });

  it('stages images for a dataset on this machine too, and not for one read at its clusterPath', async () => {
    const ws = workspace([{ id: '1', image: 'images/red.png', ...q }]);
    const onCluster = request({
      datasets: {
        vqa: DatasetSchema.parse({ format: 'multimodal', path: 'data/vqa.jsonl', clusterPath: '/shared/vqa.jsonl' }),
      },
    });
    assert.deepEqual(stagedRequestFields(await workspaceDatasetFiles(onCluster, ws, true)), {});
    const local = await workspaceDatasetFiles(request(), ws, false);
    assert.deepEqual(Object.keys(local.images.vqa!.images), ['data/images/red.png']);
  });
});

describe('what the client sends before submitting', () => {
  it('sends an image two datasets share once, and nothing when the plan says everything is there', async () => {
    const ws = workspace([
      { id: '1', image: 'images/red.png', ...q },
      { id: '2', image: 'images/blue.png', ...q },
    ]);
    fs.writeFileSync(
      path.join(ws, 'data', 'other.jsonl'),
      JSON.stringify({ id: 'x', image: 'images/red.png', ...q }) + '\n',
    );
    const datasets = {
      vqa: DatasetSchema.parse({ format: 'multimodal', path: 'data/vqa.jsonl' }),
      other: DatasetSchema.parse({ format: 'multimodal', path: 'data/other.jsonl' }),
    };
    const base = request({ selection: { models: ['m'], datasets: ['vqa', 'other'] }, datasets });
    const staged = await workspaceDatasetFiles(base, ws);
    const req = { ...base, ...stagedRequestFields(staged) };
    const workdir = tmp('wd');
    const first = planRequest(req, { workdir, datasetRoot: workdir });
    assert.ok(first.ok);
    assert.deepEqual(
      filesToUpload(first.plan, req)
        .map((f) => f.name)
        .sort(),
      ['blue.png', 'other.jsonl', 'red.png', 'vqa.jsonl'],
    );
    await copyStagedFiles(staged, staged.local, workdir);
    const second = planRequest(req, { workdir, datasetRoot: workdir });
    assert.ok(second.ok);
    assert.deepEqual(filesToUpload(second.plan, req), []);
  });
});

describe('image paths in a request', () => {
  it('accepts plain relative paths and refuses any that could leave the view', () => {
    for (const ok of ['a.png', 'data/images/a b (1).png', 'ünï/çødé.jpg'])
      assert.equal(RelativeFilePathSchema.safeParse(ok).success, true, ok);
    for (const bad of [
      '',
      '/etc/passwd',
      '../x.png',
      'a/../../x.png',
      'a//b.png',
      './a.png',
      'a\\..\\b.png',
      'a/\n.png',
      'x/',
    ])
      assert.equal(RelativeFilePathSchema.safeParse(bad).success, false, JSON.stringify(bad));
    const f = { sha256: 'a'.repeat(64), size: 1, name: 'x.png' };
    const hostile = {
      ...request(),
      datasetImages: { vqa: { dataFile: 'vqa.jsonl', images: { '../../../.ssh/authorized_keys': f } } },
    };
    assert.equal(RunRequestSchema.safeParse(hostile).success, false);
  });
});
