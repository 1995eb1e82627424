import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { backoffDelay } from '../../../../common/retry';
import { ConnectionError } from '../../../../src/connection/errors';
import {
  nodeMajor,
  parseProbe,
  probeScript,
  serveScript,
  type RemoteRuntime,
} from '../../../../src/connection/remote-script';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-probe-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the probe with this machine's /bin/sh, as the cluster's shell would. */
function runProbe(rt: RemoteRuntime, fileName: string) {
  // Like the SSH exec channel: whatever the exit status, stdout and stderr are what the probe is read from.
  const r = spawnSync('/bin/sh', ['-c', probeScript(rt, fileName)], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir },
  });
  return parseProbe(r.stdout, r.stderr, rt, 'test-host');
}

function refused(fn: () => unknown): ConnectionError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConnectionError);
    return e;
  }
  assert.fail('expected a ConnectionError');
}

describe('agent start-up scripts', () => {
  it('runs the setup lines, finds node, creates the work directory and hashes an existing agent', () => {
    const rt = {
      setup: ['echo chatter on stdout', 'false', `export PATH=${JSON.stringify(path.dirname(process.execPath))}:$PATH`],
      node: 'node',
      workdir: '~/work dir',
    };
    const first = runProbe(rt, 'abc.js');
    assert.equal(first.nodeVersion, process.version);
    assert.equal(first.workdir, fs.realpathSync(path.join(dir, 'work dir')));
    assert.equal(first.agentHash, undefined);
    assert.deepEqual(first.setupFailures, ['line 2 (false): status 1']);
    assert.ok(fs.statSync(path.join(dir, 'work dir', 'agent')).isDirectory());

    const content = 'console.log(1)\n';
    fs.writeFileSync(path.join(dir, 'work dir', 'agent', 'abc.js'), content);
    assert.equal(runProbe(rt, 'abc.js').agentHash, crypto.createHash('sha256').update(content).digest('hex'));
  });

  it('says node is missing, or too old, naming what was looked for', () => {
    const missing = refused(() => runProbe({ setup: [], node: '/nonexistent/node', workdir: dir }, 'a.js'));
    assert.equal(missing.kind, 'node-missing');
    assert.match(missing.message, /node was not found on test-host \(looked for "\/nonexistent\/node"/);

    const old = refused(() =>
      parseProbe(
        '@@evalbench-probe\n@@evalbench-workdir-expanded\n@@evalbench-node-path /usr/bin/node\n@@evalbench-workdir /w\n@@evalbench-node v16.20.2\n@@evalbench-agent-hash none\n',
        '',
        { setup: [], node: 'node', workdir: '/w' },
        'hpc',
      ),
    );
    assert.equal(old.kind, 'node-too-old');
    assert.match(old.message, /node v16\.20\.2 at \/usr\/bin\/node on hpc is too old: evalbench needs node >= 18/);
    assert.equal(nodeMajor('v18.0.0'), 18);
    assert.equal(nodeMajor('garbage'), undefined);
  });

  it('reports a work directory naming an unset variable', () => {
    const e = refused(() =>
      runProbe({ setup: [], node: 'node', workdir: '/scratch/$EVALBENCH_SURELY_UNSET/x' }, 'a.js'),
    );
    assert.equal(e.kind, 'config');
    assert.match(e.message, /cannot be expanded on test-host: .*EVALBENCH_SURELY_UNSET/);
  });

  it('starts the agent with exec and keeps setup output off stdout', () => {
    const script = serveScript(
      { setup: ['echo noise'], node: '/opt/node 20/bin/node', workdir: '~' },
      '/w/agent/x.js',
      '/w',
    );
    const out = execFileSync('/bin/sh', ['-c', script.replace(/^exec /m, 'printf "<%s>" ')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    assert.equal(out, '</opt/node 20/bin/node></w/agent/x.js><serve><--workdir></w>');
  });

  it('backs off exponentially up to a cap, with bounded jitter', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 10].map((a) => backoffDelay(a, { initialMs: 100, maxMs: 1000, jitter: 0 })),
      [100, 200, 400, 800, 1000],
    );
    assert.equal(
      backoffDelay(0, { initialMs: 100, jitter: 0.5 }, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, { initialMs: 100, jitter: 0.5 }, () => 1),
      100,
    );
  });
});
