import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AGENT_PROTOCOL_VERSION, Hello, RunsGet, RunsList, RunsWatch } from '../../common/protocol/agent-methods';
import { AgentErrorCode } from '../../common/protocol/agent-errors';
import { loadAgentBundle } from '../../src/connection/agent-bundle';
import { AgentRpcError, InvalidMessageError } from '../../src/connection/agent-client';
import { AgentConnection, ClusterUnavailableError } from '../../src/connection/agent-connection';
import { ConnectionError } from '../../src/connection/errors';
import { LocalTarget } from '../../src/connection/local-target';
import type { WatchedEvent } from '../../src/connection/run-watch';
import { SshTarget } from '../../src/connection/ssh-target';
import { appendNumberedEvent, createQueuedRun } from './helpers/run-fixture';
import {
  AGENT_PATH,
  giveToUser,
  hermeticEnvironment,
  killSshSession,
  rootSshTestServer,
  SKIP_WITHOUT_SSHD,
  sshTestServer,
  uidOf,
  waitFor,
  type SshTestServer,
} from './helpers/ssh-test-env';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

// Logs in as the unprivileged test user (SSH_TEST_USERS) where there is one; one case below logs in as root.
const srv = sshTestServer();
const rootSrv = rootSshTestServer();
const connections: AgentConnection[] = [];
// Registered first, so the connections are disposed of before their directories are removed.
after(() => connections.forEach((c) => c.dispose()));
const dir = tempDirsRemovedAfter();
let agentCopy = '';

before(() => {
  if (!fs.existsSync(AGENT_PATH)) throw new Error(`${AGENT_PATH} is missing: run "npm run build" first`);
  // A private copy: a rebuild elsewhere during the test must not change the hash under it.
  agentCopy = path.join(dir('bundle'), 'agent.js');
  fs.copyFileSync(AGENT_PATH, agentCopy);
});

/** A work directory of the SSH user's own, as on a cluster. */
function wd(server: SshTestServer | undefined = srv): string {
  return giveToUser(dir('wd'), server!.user);
}

function sshTarget(
  workdir: string,
  logs: string[],
  over: { port?: number; node?: string; setup?: string[]; server?: SshTestServer } = {},
): SshTarget {
  const server = over.server ?? srv!;
  return new SshTarget({
    profile: {
      host: server.host,
      port: over.port ?? server.port,
      user: server.user,
      identityFile: server.key,
      knownHostsFile: server.knownHosts,
      setup: over.setup ?? [],
      node: over.node ?? 'node',
      workdir,
    },
    agentPath: agentCopy,
    log: (m) => logs.push(m),
    environment: hermeticEnvironment(dir('home')),
  });
}

/** The version the built agent reports (under tsx, common/version.ts has no build-time version). */
const BUILT_VERSION: string = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'),
).version;

function connection(
  target: SshTarget | LocalTarget,
  logs: string[],
  clusterId = 'test',
  clientVersion = BUILT_VERSION,
): AgentConnection {
  const c = new AgentConnection(target, { clusterId, log: (m) => logs.push(m), clientVersion });
  connections.push(c);
  return c;
}

describe('agent over SSH and locally', () => {
  it(
    'uploads the agent once: a second connect finds it by its hash and does not upload',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const workdir = wd();
      const logs: string[] = [];
      const bundle = loadAgentBundle(agentCopy);
      const remote = path.join(workdir, 'agent', bundle.fileName);

      const first = connection(sshTarget(workdir, logs), logs);
      const c1 = await first.connect();
      assert.equal(c1.channel.uploaded, true);
      assert.ok(fs.readFileSync(remote).equals(bundle.content), 'the uploaded file is the bundle');
      assert.deepEqual(
        fs.readdirSync(path.join(workdir, 'agent')),
        [bundle.fileName],
        'no temporary file is left behind',
      );
      const hello = await c1.call(Hello, { clientVersion: BUILT_VERSION, protocol: AGENT_PROTOCOL_VERSION });
      assert.equal(hello.workdir, workdir);
      assert.equal(hello.user, srv!.user, 'the agent runs as the user who logged in');
      const agentDir = fs.statSync(path.join(workdir, 'agent'));
      assert.deepEqual(
        [agentDir.uid, agentDir.mode & 0o777],
        [uidOf(srv!.user), 0o700],
        "the agent directory is the user's own",
      );
      assert.equal(fs.statSync(remote).mode & 0o022, 0, 'nobody else may write the agent file');
      const mtime = fs.statSync(remote).mtimeMs;
      first.dispose();

      const second = connection(sshTarget(workdir, logs), logs);
      const c2 = await second.connect();
      assert.equal(c2.channel.uploaded, false);
      assert.equal(fs.statSync(remote).mtimeMs, mtime);
      assert.ok(
        logs.some((l) => l.includes('the agent is already at')),
        logs.join('\n'),
      );
      second.dispose();

      fs.writeFileSync(remote, 'corrupted');
      const third = connection(sshTarget(workdir, logs), logs);
      assert.equal((await third.connect()).channel.uploaded, true, 'a file with the wrong content is replaced');
      assert.ok(fs.readFileSync(remote).equals(bundle.content));
    },
  );

  it(
    're-uploads on a version mismatch in hello, then refuses with a clear message',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const workdir = wd();
      const logs: string[] = [];
      const target = sshTarget(workdir, logs);
      const conn = connection(target, logs, 'mismatch', '9.9.9-other');
      await assert.rejects(conn.connect(), (e: unknown) => {
        assert.ok(e instanceof ConnectionError);
        assert.equal(e.kind, 'version-mismatch');
        assert.match(e.message, /the agent is version \S+, the extension 9\.9\.9-other/);
        return true;
      });
      const uploads = logs.filter((l) => l.includes('uploaded the agent to'));
      assert.equal(uploads.length, 2, `first upload, then the forced one after the mismatch:\n${logs.join('\n')}`);
      assert.equal(conn.state.kind, 'disconnected');
    },
  );

  it('says node is missing on the cluster, naming the node path', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const logs: string[] = [];
    const conn = connection(sshTarget(wd(), logs, { node: '/nonexistent/bin/node' }), logs);
    await assert.rejects(conn.connect(), (e: unknown) => {
      assert.ok(e instanceof ConnectionError);
      assert.equal(e.kind, 'node-missing');
      assert.match(e.message, /node was not found on .* \(looked for "\/nonexistent\/bin\/node"/);
      return true;
    });
  });

  it('tells a command that needs the cluster that it is down, and why', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const logs: string[] = [];
    const conn = connection(sshTarget(dir('wd'), logs, { port }), logs, 'gpu-cluster');
    await assert.rejects(conn.call(RunsList, {}), (e: unknown) => {
      assert.ok(e instanceof ClusterUnavailableError);
      assert.match(e.message, /^cluster "gpu-cluster" is not reachable: connection refused by /);
      return true;
    });
    assert.equal(conn.state.kind, 'disconnected');
    assert.ok(conn.state.kind === 'disconnected' && conn.state.error?.kind === 'refused');
  });

  it(
    'validates params before sending and turns agent errors into typed errors',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const workdir = dir('wd');
      const logs: string[] = [];
      const conn = connection(
        new LocalTarget({
          profile: { setup: [], node: 'node', workdir },
          agentPath: agentCopy,
          log: (m) => logs.push(m),
        }),
        logs,
      );
      await assert.rejects(
        conn.call(RunsWatch, { runId: 'x', offset: -1 }),
        (e: unknown) => e instanceof InvalidMessageError && /runs\/watch: invalid params: offset/.test(e.message),
      );
      await assert.rejects(
        conn.call(RunsGet, { runId: '20250101-000000-000-abcdef' }),
        (e: unknown) => e instanceof AgentRpcError && e.code === AgentErrorCode.RunNotFound,
      );
      assert.equal(conn.state.kind, 'connected', 'an agent error does not drop the connection');
    },
  );

  it(
    'gives the same answers over the local target as over SSH (as root, like the local agent)',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const workdir = dir('wd');
      const run = createQueuedRun(workdir);
      for (let i = 0; i < 3; i++) appendNumberedEvent(run, i);
      const logs: string[] = [];
      // Setup lines that talk on stdout must not disturb the protocol.
      const ssh = connection(
        sshTarget(workdir, logs, { setup: ['echo setup chatter', 'export EVALBENCH_TEST_SETUP=1'], server: rootSrv }),
        logs,
        'ssh',
      );
      const local = connection(
        new LocalTarget({
          profile: { setup: [], node: 'node', workdir },
          agentPath: agentCopy,
          log: (m) => logs.push(m),
        }),
        logs,
        'local',
      );
      const ask = async (c: AgentConnection) => ({
        list: await c.call(RunsList, {}),
        get: await c.call(RunsGet, { runId: run.runId }),
        watch: await c.call(RunsWatch, { runId: run.runId, offset: 0 }),
      });
      const [viaSsh, viaLocal] = [await ask(ssh), await ask(local)];
      assert.equal(viaSsh.list.runs.length, 1);
      assert.equal(viaSsh.watch.events.length, 3);
      assert.deepEqual(viaLocal, viaSsh);
      assert.ok(ssh.state.kind === 'connected' && local.state.kind === 'connected');
      const { hello: h1 } = ssh.state;
      const { hello: h2 } = local.state;
      assert.deepEqual({ ...h1, node: '' }, { ...h2, node: '' });
    },
  );

  it(
    'reconnects after the SSH session is killed mid-watch and delivers every event exactly once',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const workdir = dir('wd');
      const run = createQueuedRun(workdir);
      giveToUser(workdir, srv!.user);
      const logs: string[] = [];
      const target = sshTarget(workdir, logs);
      const conn = connection(target, logs, 'watch');
      await conn.connect();
      const received: WatchedEvent[] = [];
      const liveChanges: boolean[] = [];
      const watch = conn.watch(run.runId, 0, (events) => void received.push(...events), {
        waitMs: 1000,
        backoff: { initialMs: 100, maxMs: 500 },
        onConnectionChange: (live) => liveChanges.push(live),
      });
      const total = 12;
      for (let i = 0; i < 6; i++) appendNumberedEvent(run, i);
      await waitFor(() => received.length >= 6, 15_000, 'the first six events');

      const portBefore = target.localPort!;
      const killed = killSshSession(srv!.port, portBefore);
      logs.push(`killed sshd ${killed.join(', ')} (the session from local port ${portBefore})`);
      await waitFor(() => liveChanges.includes(false), 15_000, `the watch to notice the cut:\n${logs.join('\n')}`);
      for (let i = 6; i < total; i++) appendNumberedEvent(run, i);
      await waitFor(() => received.length >= total, 30_000, `all ${total} events (got ${received.length})`);
      watch.dispose();
      const end = await watch.ended;

      assert.deepEqual(
        received.map((e) => (e.event.type === 'log' ? e.event.message : e.event.type)),
        Array.from({ length: total }, (_, i) => `event ${i}`),
      );
      const offsets = received.map((e) => e.offset);
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => a - b),
      );
      assert.equal(new Set(offsets).size, total);
      assert.equal(end.offset, fs.statSync(run.events).size, 'the watch ends at the end of events.jsonl');
      assert.deepEqual(liveChanges, [false, true]);
      assert.notEqual(target.localPort, portBefore, 'a new SSH connection');
      assert.ok(
        logs.some((l) => /lost/.test(l)),
        logs.join('\n'),
      );
    },
  );
});
