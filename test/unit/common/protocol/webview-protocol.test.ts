import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostChannel } from '../../../../src/panels/host-channel';
import { RpcClient } from '../../../../webview/common/rpc-client';
import {
  DASHBOARD_PROTOCOL,
  DashboardExport,
  DashboardOpenTask,
  DashboardUpdate,
  type DashboardSnapshot,
} from '../../../../common/protocol/webview-dashboard';
import {
  RemoteError,
  RequestTimeoutError,
  WEBVIEW_PROTOCOL_VERSION,
  type HostToWebview,
  type WebviewToHost,
} from '../../../../common/protocol/webview';

function snapshot(done: number): DashboardSnapshot {
  return {
    run: {
      runId: 'r1',
      clusterId: 'local',
      target: 'local',
      createdAt: '2025-01-01T00:00:00Z',
      state: 'running',
      tasks: { total: 1, done: 0, failed: 0, running: 1 },
      jobs: [{ model: 'm', jobId: '1', state: 'RUNNING' }],
      taskStates: [{ model: 'm', dataset: 'd', state: 'running', done, total: 10 }],
      results: [],
    },
    engines: [],
    throughput: [],
    link: { state: 'live' },
    updatedAt: '2025-01-01T00:00:01Z',
  };
}

/** A host channel and a webview client joined back to back, as postMessage would join them (asynchronously). */
function pair(opts: { clientTimeoutMs?: number } = {}) {
  const toWebview: HostToWebview[] = [];
  const toHost: WebviewToHost[] = [];
  const logs: string[] = [];
  const peer: { client?: RpcClient } = {};
  const host = new HostChannel(DASHBOARD_PROTOCOL, {
    post: (m) => {
      toWebview.push(m);
      queueMicrotask(() => peer.client!.receive(structuredClone(m)));
    },
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const client = new RpcClient(
    DASHBOARD_PROTOCOL,
    (m) => {
      toHost.push(m);
      queueMicrotask(() => void host.receive(structuredClone(m)));
    },
    { timeoutMs: opts.clientTimeoutMs ?? 1000 },
  );
  peer.client = client;
  return { host, client, toWebview, toHost, logs };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('webview protocol', () => {
  it('posts nothing before ready, then only the latest snapshot of each notification', async () => {
    const { host, client, toWebview } = pair();
    const seen: number[] = [];
    client.onNotification(DashboardUpdate, (s) => seen.push(s.run.taskStates[0]!.done));
    host.notify(DashboardUpdate, snapshot(1));
    host.notify(DashboardUpdate, snapshot(2));
    host.notify(DashboardUpdate, snapshot(3));
    await tick();
    assert.equal(toWebview.length, 0);
    client.ready();
    await tick();
    assert.deepEqual(seen, [3]);
    host.notify(DashboardUpdate, snapshot(4));
    await tick();
    assert.deepEqual(seen, [3, 4]);
  });

  it('holds snapshots while the webview is away and replays the latest on its next ready', async () => {
    const { host, client } = pair();
    const seen: number[] = [];
    client.onNotification(DashboardUpdate, (s) => seen.push(s.run.taskStates[0]!.done));
    client.ready();
    await tick();
    host.reset();
    host.notify(DashboardUpdate, snapshot(5));
    host.notify(DashboardUpdate, snapshot(6));
    await tick();
    assert.deepEqual(seen, []);
    client.ready();
    await tick();
    assert.deepEqual(seen, [6]);
  });

  it('answers a typed request with a validated result', async () => {
    const { host, client } = pair();
    host.handle(DashboardExport, async ({ format }) => ({
      saved: true,
      path: `/tmp/matrix.${format === 'csv' ? 'csv' : 'md'}`,
    }));
    client.ready();
    const r = await client.request(DashboardExport, { format: 'markdown' });
    assert.deepEqual(r, { saved: true, path: '/tmp/matrix.md' });
  });

  it('turns a thrown handler error into a rejected request carrying its message', async () => {
    const { host, client } = pair();
    host.handle(DashboardOpenTask, () => {
      throw new Error('no such task m/d');
    });
    await assert.rejects(
      client.request(DashboardOpenTask, { model: 'm', dataset: 'd', view: 'debugger' }),
      (e: Error) => e instanceof RemoteError && e.message === 'no such task m/d',
    );
  });

  it('refuses invalid params before they leave the webview', async () => {
    const { client, toHost } = pair();
    // @ts-expect-error: a format the method does not know
    const refused = client.request(DashboardExport, { format: 'pdf' });
    await assert.rejects(refused, /dashboard\/export: invalid params: format/);
    assert.equal(toHost.filter((m) => m.kind === 'request').length, 0);
  });

  it('answers invalid params from a webview with an error naming the path, without calling the handler', async () => {
    const { host, toWebview } = pair();
    let called = false;
    host.handle(DashboardExport, () => {
      called = true;
      return { saved: false };
    });
    await host.receive({ kind: 'request', id: 7, method: 'dashboard/export', params: { format: 42 } });
    assert.equal(called, false);
    const reply = toWebview.at(-1);
    assert.equal(reply?.kind, 'error');
    assert.match((reply as { message: string }).message, /dashboard\/export: invalid params: format/);
  });

  it('answers a method the panel does not have with an error', async () => {
    const { host, toWebview } = pair();
    await host.receive({ kind: 'request', id: 3, method: 'tasks/rerun', params: {} });
    assert.deepEqual(toWebview.at(-1), {
      kind: 'error',
      id: 3,
      message: 'tasks/rerun: not a request of the dashboard panel',
    });
  });

  it('never posts an invalid result: the webview gets an error and the host logs it', async () => {
    const { host, client, logs } = pair();
    // @ts-expect-error: saved must be a boolean
    host.handle(DashboardExport, () => ({ saved: 'yes' }));
    await assert.rejects(client.request(DashboardExport, { format: 'csv' }), /invalid answer/);
    assert.ok(logs.some((l) => l.startsWith('error:') && l.includes('dashboard/export: invalid result: saved')));
  });

  it('does not send a snapshot that fails its schema', () => {
    const { host, client, logs } = pair();
    client.ready();
    const bad = snapshot(1) as unknown as { run: { state: string } };
    bad.run.state = 'exploded';
    assert.equal(host.notify(DashboardUpdate, bad as unknown as DashboardSnapshot), false);
    assert.ok(logs.some((l) => l.includes('dashboard/snapshot: invalid params: run.state')));
  });

  it('times a request out when no reply comes, and ignores the late reply', async () => {
    const { client, toHost } = pair({ clientTimeoutMs: 30 });
    // No handler registered on purpose: intercept before the host answers by dropping the message.
    const silent = new RpcClient(DASHBOARD_PROTOCOL, (m) => toHost.push(m), { timeoutMs: 30 });
    const started = Date.now();
    await assert.rejects(
      silent.request(DashboardExport, { format: 'csv' }),
      (e: Error) => e instanceof RequestTimeoutError && /no reply within/.test(e.message),
    );
    assert.ok(Date.now() - started >= 25);
    const sent = toHost.find((m) => m.kind === 'request');
    assert.ok(sent && sent.kind === 'request');
    silent.receive({ kind: 'response', id: sent.id, result: { saved: true } });
    assert.equal(silent.inFlight, 0);
    assert.equal(client.inFlight, 0);
  });

  it('rejects a result from the host that fails the schema', async () => {
    const posted: WebviewToHost[] = [];
    const client = new RpcClient(DASHBOARD_PROTOCOL, (m) => posted.push(m));
    const p = client.request(DashboardExport, { format: 'csv' });
    const req = posted.find((m) => m.kind === 'request')!;
    client.receive({ kind: 'response', id: (req as { id: number }).id, result: { saved: 1 } });
    await assert.rejects(p, /dashboard\/export: invalid result: saved/);
    assert.ok(posted.some((m) => m.kind === 'log' && m.level === 'error'));
  });

  it('drops a notification with invalid params and reports it instead of calling the handler', () => {
    const posted: WebviewToHost[] = [];
    const client = new RpcClient(DASHBOARD_PROTOCOL, (m) => posted.push(m));
    let calls = 0;
    client.onNotification(DashboardUpdate, () => calls++);
    client.receive({ kind: 'notify', method: 'dashboard/snapshot', params: { run: null } });
    client.receive('<img src=x onerror=alert(1)>');
    assert.equal(calls, 0);
    const logs = posted.filter((m) => m.kind === 'log').map((m) => (m as { message: string }).message);
    assert.equal(logs.length, 2);
    assert.match(logs[0]!, /dashboard\/snapshot: invalid params/);
    assert.match(logs[1]!, /malformed message/);
  });

  it('says ready with its protocol version, and the host warns on a mismatch', async () => {
    const { host, client, toHost, logs } = pair();
    client.ready();
    assert.deepEqual(toHost[0], { kind: 'ready', protocol: WEBVIEW_PROTOCOL_VERSION });
    await host.receive({ kind: 'ready', protocol: WEBVIEW_PROTOCOL_VERSION + 1 });
    assert.ok(logs.some((l) => l.startsWith('warn:') && l.includes('rebuild')));
  });

  it('rejects pending requests when the panel goes away', async () => {
    const client = new RpcClient(DASHBOARD_PROTOCOL, () => {});
    const p = client.request(DashboardExport, { format: 'csv' });
    client.dispose();
    await assert.rejects(p, /the panel closed/);
  });
});
