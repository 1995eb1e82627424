import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PlanMethod, RunsGet, RunsList, Submit } from '../../common/protocol/agent-methods';
import type { Plan } from '../../common/run/plan-schema';
import { filesToUpload } from '../../common/run/planned-uploads';
import type { Prediction, RunStatus } from '../../common/run/records';
import { buildRunRequest } from '../../common/run/build-request';
import type { RunRequest } from '../../common/run/request';
import { AgentConnection } from '../../src/connection/agent-connection';
import { SshTarget } from '../../src/connection/ssh-target';
import { stagedRequestFields, workspaceDatasetFiles } from '../../remote-agent/runs/stage-files';
import { RunPaths } from '../../remote-agent/store/layout';
import { readRun } from '../../remote-agent/store/run-store';
import { loadValidCatalog } from '../../remote-agent/workspace/load';
import {
  binariesBefore,
  numberedSamples,
  pollUntil,
  requestCounts,
  rightAnswers,
  SKIP_WITHOUT_SLURM,
  writeWorkspace,
  type WorkspaceSpec,
} from './helpers/agent-workspace';
import { giveToUser, hermeticEnvironment, SKIP_WITHOUT_SSHD, sshTestServer, uidOf } from './helpers/ssh-test-env';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';
import { solidPng } from '../helpers/png';

/**
 * The user's shape: the workspace (and its data) on "the laptop" (this root test process), the cluster reached over
 * the real sshd as the unprivileged test user, jobs run by real SLURM under that user's uid, each job in a network
 * namespace of its own (no route anywhere, not even to this machine's loopback), as on compute nodes without
 * internet.
 */
const srv = sshTestServer();
const SKIP = SKIP_WITHOUT_SSHD || SKIP_WITHOUT_SLURM;
const connections: AgentConnection[] = [];
after(() => connections.forEach((c) => c.dispose()));
const dir = tempDirsRemovedAfter();
const bins = binariesBefore(dir, SKIP);
const BUILT_VERSION: string = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'),
).version;

function which(cmd: string): string {
  return execFileSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
}

/**
 * Setup lines that run the rest of the job under `unshare -r -n` (a new user and network namespace: what an
 * unprivileged user can do), with only a loopback of its own, then prove the job cannot reach the sshd on this
 * machine's 127.0.0.1. Setup lines also run on the login node when the agent starts: there they do nothing.
 */
function noNetworkSetup(port: number): string[] {
  const ip = which('ip');
  return [
    `[ -z "\${SLURM_JOB_ID:-}" ] || [ -n "\${EVALBENCH_NO_NETWORK:-}" ] || EVALBENCH_NO_NETWORK=1 exec ${which('unshare')} -r -n /bin/bash -c '${ip} link set lo up && exec /bin/bash -l "$0"' "$0"`,
    `[ -z "\${SLURM_JOB_ID:-}" ] || ! (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && echo "network check: 127.0.0.1:${port} is unreachable from the job"`,
  ];
}

type Contents = Pick<WorkspaceSpec, 'models' | 'datasets' | 'answers' | 'rawDatasets' | 'modelExtra'>;

/** The workspace of one model `solo` and one dataset `qa` of these samples, answered right. */
function textContents(samples: ReturnType<typeof numberedSamples>): Contents {
  return { models: { solo: 'org/solo' }, datasets: { qa: { samples } }, answers: rightAnswers(samples) };
}

/** A workspace whose `slurm` profile is reached over SSH as the test user, with a work directory of the user's own. */
function sshWorkspace(contents: Contents, setup: string[], sbatchArgs: string[] = []) {
  const ws = dir('ws');
  fs.chmodSync(ws, 0o755);
  fs.chmodSync(path.dirname(bins.standin), 0o755);
  const { statsFile } = writeWorkspace({
    dir: ws,
    standin: bins.standin,
    ...contents,
    clusterExtra: { setup, sbatchArgs },
  });
  fs.writeFileSync(statsFile, '', { mode: 0o666 });
  fs.chmodSync(statsFile, 0o666);
  const workdir = giveToUser(dir('wd'), srv!.user);
  const { catalog } = loadValidCatalog(ws);
  const profile = {
    ...catalog.clusters.slurm!,
    host: srv!.host,
    port: srv!.port,
    user: srv!.user,
    identityFile: srv!.key,
    knownHostsFile: srv!.knownHosts,
    workdir,
  };
  const conn = new AgentConnection(
    new SshTarget({ profile, agentPath: bins.agent, environment: hermeticEnvironment(dir('home')) }),
    { clusterId: 'slurm', clientVersion: BUILT_VERSION },
  );
  connections.push(conn);
  const built = buildRunRequest({
    catalog,
    selection: { category: 'pair' },
    presetId: 'test',
    clusterId: 'slurm',
    clusterOverride: profile,
  });
  assert.ok(built.ok, JSON.stringify(built));
  return { ws, workdir, statsFile, conn, request: built.request, catalog };
}

async function withWorkspaceFiles(request: RunRequest, ws: string) {
  const staged = await workspaceDatasetFiles(request, ws, true);
  return { staged, request: { ...request, ...stagedRequestFields(staged), workspaceRoot: ws } };
}

async function finalStatus(conn: AgentConnection, runId: string): Promise<RunStatus> {
  return pollUntil(
    async () => {
      const s = await conn.call(RunsGet, { runId });
      return s.state === 'done' || s.state === 'failed' || s.state === 'cancelled' ? s : undefined;
    },
    120_000,
    `run ${runId} to end`,
  );
}

describe(
  'datasets travel with the run: over SSH as an unprivileged user, real SLURM, jobs without network',
  { skip: SKIP },
  () => {
    it('uploads a workspace dataset by hash once, and a job with no network runs on it end to end', async () => {
      const samples = numberedSamples('q', 5);
      const {
        ws,
        workdir,
        statsFile,
        conn,
        request: base,
      } = sshWorkspace(textContents(samples), noNetworkSetup(srv!.port));
      const { staged, request } = await withWorkspaceFiles(base, ws);
      const file = staged.files.qa!.path!;

      const first = await conn.call(PlanMethod, { request });
      const remote = path.join(workdir, 'datasets', file.sha256, file.name);
      assert.deepEqual(first.plan.datasets, [
        {
          dataset: 'qa',
          field: 'path',
          declared: 'data/d0.jsonl',
          source: 'upload',
          reads: remote,
          present: true,
          upload: true,
          bytes: file.size,
        },
      ]);
      assert.equal(first.plan.errors, undefined);
      await assert.rejects(
        conn.call(Submit, { request }),
        /dataset "qa": data\/d0\.jsonl is not at .*: upload it before submitting/,
      );

      const progress: number[] = [];
      const up = await conn.target.putDatasetFile(staged.local.get(file.sha256)!, file, (done) => progress.push(done));
      assert.deepEqual(up, { remotePath: remote, uploaded: true });
      assert.equal(progress.at(-1), file.size, 'progress reaches the whole file');
      assert.equal(fs.readFileSync(remote, 'utf8'), fs.readFileSync(path.join(ws, 'data/d0.jsonl'), 'utf8'));
      const st = fs.statSync(remote);
      assert.equal(st.uid, uidOf(srv!.user), 'the file belongs to the user who logged in');
      assert.equal(st.mode & 0o022, 0, 'nobody else may write it');
      assert.equal(fs.statSync(path.dirname(remote)).mode & 0o777, 0o700);
      assert.deepEqual(fs.readdirSync(path.dirname(remote)), [file.name], 'no temporary file is left');
      const again = await conn.target.putDatasetFile(staged.local.get(file.sha256)!, file);
      assert.deepEqual(again, { remotePath: remote, uploaded: false }, 'the same content is not sent twice');
      assert.equal(fs.statSync(remote).mtimeMs, st.mtimeMs);
      const second = await conn.call(PlanMethod, { request });
      assert.equal(second.plan.datasets![0]!.upload, false);

      const submitted = await conn.call(Submit, { request });
      const s = await finalStatus(conn, submitted.runId);
      const paths = RunPaths.of(workdir, submitted.runId);
      const log = fs.readFileSync(paths.log('solo', submitted.jobs[0]!.jobId), 'utf8');
      assert.equal(s.state, 'done', `${JSON.stringify(s.taskStates)}\n${log}`);
      assert.deepEqual(
        s.taskStates.map((t) => [t.state, t.done, t.value]),
        [['done', 5, 1]],
      );
      assert.match(log, new RegExp(`network check: 127\\.0\\.0\\.1:${srv!.port} is unreachable from the job`));
      assert.deepEqual(requestCounts(statsFile), { 'org/solo': 5 });
      assert.equal(readRun(paths).request.datasets.qa!.path, remote, 'the job read the uploaded copy');
      assert.equal(readRun(paths).provenance.user, srv!.user);
      const runDir = fs.statSync(paths.dir);
      assert.deepEqual(
        [runDir.uid, runDir.mode & 0o777],
        [uidOf(srv!.user), 0o700],
        'the run store is private to the user',
      );
      assert.equal(fs.statSync(path.join(workdir, 'runs')).mode & 0o777, 0o700);
    });

    it('uploads a workspace dataset with images (each image once, by hash), a vision job without network reads them, and a second run uploads nothing', async () => {
      const png = { red: solidPng([255, 0, 0]), blue: solidPng([0, 0, 255]), green: solidPng([0, 255, 0]) };
      const q = { choices: ['red', 'blue', 'green'] };
      const records = [
        { id: 'red-1', image: 'images/red.png', question: 'What colour is the first square?', ...q, answer: 'A' },
        { id: 'red-2', image: './images/red.png', question: 'What colour is the second square?', ...q, answer: 'A' },
        {
          id: 'pair',
          images: ['images/blue.png', '../pictures/green.png'],
          question: 'Which colour comes first?',
          ...q,
          answer: 'B',
        },
      ];
      const contents: Contents = {
        models: { vlm: 'org/vlm' },
        modelExtra: { vlm: { vision: true } },
        datasets: {},
        rawDatasets: { vqa: { definition: { format: 'multimodal', maxTokens: 16 }, records } },
        answers: { 'first square': 'A', 'second square': 'A', 'comes first': 'B' },
      };
      const { ws, workdir, statsFile, conn, request: base } = sshWorkspace(contents, noNetworkSetup(srv!.port));
      fs.mkdirSync(path.join(ws, 'data', 'images'));
      fs.mkdirSync(path.join(ws, 'pictures'));
      fs.writeFileSync(path.join(ws, 'data', 'images', 'red.png'), png.red);
      fs.writeFileSync(path.join(ws, 'data', 'images', 'blue.png'), png.blue);
      fs.writeFileSync(path.join(ws, 'pictures', 'green.png'), png.green);
      const { staged, request } = await withWorkspaceFiles(base, ws);
      const imageBytes = png.red.length + png.blue.length + png.green.length;

      const first = await conn.call(PlanMethod, { request });
      assert.equal(first.plan.errors, undefined);
      const line = first.plan.datasets![0]!;
      assert.deepEqual(
        [line.source, line.upload, line.images],
        ['upload', true, { count: 3, bytes: imageBytes, toUpload: 3, toUploadBytes: imageBytes }],
      );
      assert.ok(line.reads.startsWith(`${workdir}/datasets/with-images/`), line.reads);
      await assert.rejects(
        conn.call(Submit, { request }),
        /dataset "vqa": data\/vqa\.jsonl is not at .* and 3 of the 3 images of data\/vqa\.jsonl are not in the work directory: upload them before submitting/,
      );

      const toSend = filesToUpload(first.plan, request);
      assert.deepEqual(
        toSend.map((f) => f.name).sort(),
        ['blue.png', 'green.png', 'red.png', 'vqa.jsonl'],
        'the red square two records name is sent once',
      );
      for (const f of toSend)
        assert.equal((await conn.target.putDatasetFile(staged.local.get(f.sha256)!, f)).uploaded, true, f.name);
      const red = path.join(workdir, 'datasets', createHash('sha256').update(png.red).digest('hex'), 'red.png');
      assert.deepEqual(fs.readFileSync(red), png.red);
      const st = fs.statSync(red);
      assert.deepEqual(
        [st.uid, st.mode & 0o022],
        [uidOf(srv!.user), 0],
        "the image is the user's, writable by nobody else",
      );

      // As the extension does: the plan confirmed (before the upload, for the first run) travels with the submission.
      const runOnce = async (confirmed?: Plan) => {
        const planned = await conn.call(PlanMethod, { request });
        assert.deepEqual(filesToUpload(planned.plan, request), [], 'nothing left to send');
        assert.deepEqual([planned.plan.datasets![0]!.upload, planned.plan.datasets![0]!.images!.toUpload], [false, 0]);
        const submitted = await conn.call(Submit, { request, confirmedPlan: confirmed ?? planned.plan });
        const s = await finalStatus(conn, submitted.runId);
        const paths = RunPaths.of(workdir, submitted.runId);
        const log = fs.readFileSync(paths.log('vlm', submitted.jobs[0]!.jobId), 'utf8');
        assert.equal(s.state, 'done', `${JSON.stringify(s.taskStates)}\n${log}`);
        assert.deepEqual(
          s.taskStates.map((t) => [t.state, t.done, t.value]),
          [['done', 3, 1]],
        );
        assert.match(log, /network check: .* is unreachable from the job/);
        assert.equal(readRun(paths).request.datasets.vqa!.path, line.reads, 'the job read the data file in its view');
        return paths;
      };
      const paths = await runOnce(first.plan);
      const sentImages = fs
        .readFileSync(statsFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { model: string; prompt: string; images?: number });
      assert.deepEqual(
        sentImages.map((l) => [l.model, l.images]).sort(),
        [
          ['org/vlm', 1],
          ['org/vlm', 1],
          ['org/vlm', 2],
        ],
        "the engine got each record's images",
      );
      type Message = { content: string | Array<{ image_url?: { url: string } }> };
      const urls = Object.fromEntries(
        fs
          .readFileSync(paths.predictions('vlm', 'vqa'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => {
            const p = JSON.parse(l) as Prediction;
            return [
              p.id,
              (p.prompt as Message[]).flatMap((m) =>
                typeof m.content === 'string' ? [] : m.content.flatMap((c) => (c.image_url ? [c.image_url.url] : [])),
              ),
            ];
          }),
      );
      const dataUrl = (b: Buffer) => `data:image/png;base64,${b.toString('base64')}`;
      assert.deepEqual(
        urls,
        { 'red-1': [dataUrl(png.red)], 'red-2': [dataUrl(png.red)], pair: [dataUrl(png.blue), dataUrl(png.green)] },
        'the images sent are the workspace files',
      );

      await runOnce();
      assert.equal(fs.statSync(red).mtimeMs, st.mtimeMs, 'the second run rewrote nothing');
      assert.deepEqual(requestCounts(statsFile), { 'org/vlm': 6 });
    });

    it('blocks a dataset missing everywhere, naming the paths tried; a job whose file vanished fails before its engine starts', async () => {
      const samples = numberedSamples('v', 3);
      const shared = giveToUser(dir('shared'), srv!.user);
      fs.chmodSync(shared, 0o755);
      // --hold: the job waits until released, so the file can vanish between submission and the job's start.
      const { ws, workdir, statsFile, conn, request: base } = sshWorkspace(textContents(samples), [], ['--hold']);
      const onCluster = path.join(shared, 'qa.jsonl');
      fs.copyFileSync(path.join(ws, 'data/d0.jsonl'), onCluster);
      fs.rmSync(path.join(ws, 'data/d0.jsonl'));

      const { request: missing } = await withWorkspaceFiles(base, ws);
      const planned = await conn.call(PlanMethod, { request: missing });
      assert.deepEqual(planned.plan.errors, [
        `dataset "qa": file data/d0.jsonl is missing everywhere; tried ${path.join(ws, 'data/d0.jsonl')} (workspace), ${path.join(workdir, 'data/d0.jsonl')}`,
      ]);
      await assert.rejects(conn.call(Submit, { request: missing }), /missing everywhere/);
      assert.deepEqual((await conn.call(RunsList, {})).runs, [], 'nothing was created');

      const request: RunRequest = { ...missing, datasets: { qa: { ...missing.datasets.qa!, clusterPath: onCluster } } };
      const ok = await conn.call(PlanMethod, { request });
      assert.deepEqual(
        ok.plan.datasets!.map((d) => [d.source, d.reads, d.present]),
        [['cluster', onCluster, true]],
      );
      const submitted = await conn.call(Submit, { request });
      fs.rmSync(onCluster);
      execFileSync('scontrol', ['release', submitted.jobs[0]!.jobId]);
      const s = await finalStatus(conn, submitted.runId);
      assert.equal(s.state, 'failed');
      assert.equal(
        s.taskStates[0]!.reason,
        `dataset file not found: ${onCluster} (checked before starting the engine)`,
      );
      const events = fs.readFileSync(RunPaths.of(workdir, submitted.runId).events, 'utf8');
      assert.doesNotMatch(events, /engine_starting/, 'the engine was never started');
      assert.deepEqual(requestCounts(statsFile), {});
    });
  },
);
