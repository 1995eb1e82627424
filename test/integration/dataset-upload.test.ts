import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PlanMethod, RunsGet, RunsList, Submit } from '../../src/common/protocol/agent-methods';
import type { RunStatus } from '../../src/common/run/records';
import { buildRunRequest } from '../../src/common/run/build-request';
import type { RunRequest } from '../../src/common/run/request';
import { AgentConnection } from '../../src/connection/agent-connection';
import { SshTarget } from '../../src/connection/ssh-target';
import { workspaceDatasetFiles } from '../../remote-agent/runs/stage-files';
import { RunPaths } from '../../remote-agent/store/layout';
import { readRun } from '../../remote-agent/store/run-store';
import { loadValidCatalog } from '../../remote-agent/workspace/load';
import { binariesBefore, numberedSamples, pollUntil, requestCounts, rightAnswers, SKIP_WITHOUT_SLURM, writeWorkspace } from './helpers/agent-workspace';
import { giveToUser, hermeticEnvironment, SKIP_WITHOUT_SSHD, sshTestServer, uidOf } from './helpers/ssh-test-env';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

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
const BUILT_VERSION: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version;

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

/** A workspace whose `slurm` profile is reached over SSH as the test user, with a work directory of the user's own. */
function sshWorkspace(samples: ReturnType<typeof numberedSamples>, setup: string[], sbatchArgs: string[] = []) {
  const ws = dir('ws');
  fs.chmodSync(ws, 0o755);
  fs.chmodSync(path.dirname(bins.standin), 0o755);
  const { statsFile } = writeWorkspace({ dir: ws, standin: bins.standin, models: { solo: 'org/solo' }, datasets: { qa: { samples } }, answers: rightAnswers(samples), clusterExtra: { setup, sbatchArgs } });
  fs.writeFileSync(statsFile, '', { mode: 0o666 });
  fs.chmodSync(statsFile, 0o666);
  const workdir = giveToUser(dir('wd'), srv!.user);
  const { catalog } = loadValidCatalog(ws);
  const profile = { ...catalog.clusters.slurm!, host: srv!.host, port: srv!.port, user: srv!.user, identityFile: srv!.key, knownHostsFile: srv!.knownHosts, workdir };
  const conn = new AgentConnection(new SshTarget({ profile, agentPath: bins.agent, environment: hermeticEnvironment(dir('home')) }), { clusterId: 'slurm', clientVersion: BUILT_VERSION });
  connections.push(conn);
  const built = buildRunRequest({ catalog, selection: { category: 'pair' }, presetId: 'test', clusterId: 'slurm', clusterOverride: profile });
  assert.ok(built.ok, JSON.stringify(built));
  return { ws, workdir, statsFile, conn, request: built.request, catalog };
}

async function withWorkspaceFiles(request: RunRequest, ws: string) {
  const staged = await workspaceDatasetFiles(request, ws, true);
  return { staged, request: { ...request, datasetFiles: staged.files, workspaceRoot: ws } };
}

async function finalStatus(conn: AgentConnection, runId: string): Promise<RunStatus> {
  return pollUntil(async () => {
    const s = await conn.call(RunsGet, { runId });
    return s.state === 'done' || s.state === 'failed' || s.state === 'cancelled' ? s : undefined;
  }, 120_000, `run ${runId} to end`);
}

describe('datasets travel with the run: over SSH as an unprivileged user, real SLURM, jobs without network', { skip: SKIP }, () => {
  it('uploads a workspace dataset by hash once, and a job with no network runs on it end to end', async () => {
    const samples = numberedSamples('q', 5);
    const { ws, workdir, statsFile, conn, request: base } = sshWorkspace(samples, noNetworkSetup(srv!.port));
    const { staged, request } = await withWorkspaceFiles(base, ws);
    const file = staged.files.qa!.path!;

    const first = await conn.call(PlanMethod, { request });
    const remote = path.join(workdir, 'datasets', file.sha256, file.name);
    assert.deepEqual(first.plan.datasets, [{ dataset: 'qa', field: 'path', declared: 'data/d0.jsonl', source: 'upload', reads: remote, present: true, upload: true, bytes: file.size }]);
    assert.equal(first.plan.errors, undefined);
    await assert.rejects(conn.call(Submit, { request }), /dataset "qa": data\/d0\.jsonl is not at .*: upload it before submitting/);

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
    assert.deepEqual(s.taskStates.map((t) => [t.state, t.done, t.value]), [['done', 5, 1]]);
    assert.match(log, new RegExp(`network check: 127\\.0\\.0\\.1:${srv!.port} is unreachable from the job`));
    assert.deepEqual(requestCounts(statsFile), { 'org/solo': 5 });
    assert.equal(readRun(paths).request.datasets.qa!.path, remote, 'the job read the uploaded copy');
    assert.equal(readRun(paths).provenance.user, srv!.user);
    const runDir = fs.statSync(paths.dir);
    assert.deepEqual([runDir.uid, runDir.mode & 0o777], [uidOf(srv!.user), 0o700], 'the run store is private to the user');
    assert.equal(fs.statSync(path.join(workdir, 'runs')).mode & 0o777, 0o700);
  });

  it('blocks a dataset missing everywhere, naming the paths tried; a job whose file vanished fails before its engine starts', async () => {
    const samples = numberedSamples('v', 3);
    const shared = giveToUser(dir('shared'), srv!.user);
    fs.chmodSync(shared, 0o755);
    // --hold: the job waits until released, so the file can vanish between submission and the job's start.
    const { ws, workdir, statsFile, conn, request: base } = sshWorkspace(samples, [], ['--hold']);
    const onCluster = path.join(shared, 'qa.jsonl');
    fs.copyFileSync(path.join(ws, 'data/d0.jsonl'), onCluster);
    fs.rmSync(path.join(ws, 'data/d0.jsonl'));

    const { request: missing } = await withWorkspaceFiles(base, ws);
    const planned = await conn.call(PlanMethod, { request: missing });
    assert.deepEqual(planned.plan.errors, [`dataset "qa": file data/d0.jsonl is missing everywhere; tried ${path.join(ws, 'data/d0.jsonl')} (workspace), ${path.join(workdir, 'data/d0.jsonl')}`]);
    await assert.rejects(conn.call(Submit, { request: missing }), /missing everywhere/);
    assert.deepEqual((await conn.call(RunsList, {})).runs, [], 'nothing was created');

    const request: RunRequest = { ...missing, datasets: { qa: { ...missing.datasets.qa!, clusterPath: onCluster } } };
    const ok = await conn.call(PlanMethod, { request });
    assert.deepEqual(ok.plan.datasets!.map((d) => [d.source, d.reads, d.present]), [['cluster', onCluster, true]]);
    const submitted = await conn.call(Submit, { request });
    fs.rmSync(onCluster);
    execFileSync('scontrol', ['release', submitted.jobs[0]!.jobId]);
    const s = await finalStatus(conn, submitted.runId);
    assert.equal(s.state, 'failed');
    assert.equal(s.taskStates[0]!.reason, `dataset file not found: ${onCluster} (checked before starting the engine)`);
    const events = fs.readFileSync(RunPaths.of(workdir, submitted.runId).events, 'utf8');
    assert.doesNotMatch(events, /engine_starting/, 'the engine was never started');
    assert.deepEqual(requestCounts(statsFile), {});
  });
});
