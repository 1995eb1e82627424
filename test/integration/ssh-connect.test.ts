import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { utils } from 'ssh2';
import { ConnectionError } from '../../src/connection/errors';
import { openSsh, type HostTrustRequest } from '../../src/connection/ssh-connect';
import { parseSshConfig } from '../../src/connection/ssh-config';
import { resolveEndpoint } from '../../src/connection/ssh-endpoint';
import { execCollect } from '../../src/connection/ssh-exec';
import { hermeticEnvironment, SKIP_WITHOUT_SSHD, sshTestServer } from './helpers/ssh-test-env';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const srv = sshTestServer();
const dir = tempDirsRemovedAfter();

function endpoint(
  over: { identityFile?: string; knownHostsFile?: string; port?: number; proxyJump?: string } = {},
  envOver = {},
) {
  const home = dir('home');
  return resolveEndpoint(
    {
      host: srv!.host,
      port: over.port ?? srv!.port,
      user: srv!.user,
      identityFile: over.identityFile ?? srv!.key,
      knownHostsFile: over.knownHostsFile ?? srv!.knownHosts,
      proxyJump: over.proxyJump,
    },
    hermeticEnvironment(home, envOver),
  );
}

async function refusal(p: Promise<unknown>): Promise<ConnectionError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ConnectionError, `expected a ConnectionError, got ${String(e)}`);
    return e;
  }
  assert.fail('the connection was accepted');
}

function knownHostsWithTestKey(): string {
  const f = path.join(dir('kh'), 'known_hosts');
  fs.writeFileSync(f, `[${srv!.host}]:${srv!.port} ${srv!.hostPublicKey}\n`);
  return f;
}

describe('SSH connection to the test sshd', () => {
  it(
    'authenticates with a key file, checks the host key against known_hosts and runs a command',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const logs: string[] = [];
      const s = await openSsh(endpoint(), { log: (m) => logs.push(m) });
      try {
        const r = await execCollect(s.client, 'echo "$((6 * 7))"', 10_000, 'test');
        assert.equal(r.stdout.trim(), '42');
        assert.equal(r.code, 0);
        assert.ok(
          logs.some((l) => l.includes(srv!.hostSha256) && l.includes(`${srv!.knownHosts}:1`)),
          logs.join('\n'),
        );
      } finally {
        s.close();
      }
    },
  );

  it(
    'refuses a wrong key with the auth-failed message naming the key offered',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const wrong = path.join(dir('wrongkey'), 'id_wrong');
      // A key as users make them (ssh2's own generator writes an unparsable ed25519 key about once in 200).
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
      const e = await refusal(openSsh(endpoint({ identityFile: wrong })));
      assert.equal(e.kind, 'auth');
      assert.match(
        e.message,
        new RegExp(`authentication failed for ${srv!.user}@${srv!.host}:${srv!.port}.*offered: key ${wrong}`),
      );
    },
  );

  it('refuses a changed host key, naming the known_hosts file and line', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const f = path.join(dir('kh'), 'known_hosts');
    const other = utils.parseKey(utils.generateKeyPairSync('ed25519').public);
    assert.ok(!(other instanceof Error));
    const otherLine = `[${srv!.host}]:${srv!.port} ${(Array.isArray(other) ? other[0] : other).type} ${(Array.isArray(other) ? other[0] : other).getPublicSSH().toString('base64')}`;
    fs.writeFileSync(f, `# first\nunrelated.example ${srv!.hostPublicKey}\n${otherLine}\n`);
    const e = await refusal(openSsh(endpoint({ knownHostsFile: f })));
    assert.equal(e.kind, 'host-key-changed');
    assert.ok(e.message.includes(`${f}:3`), e.message);
    assert.ok(e.message.includes(srv!.hostSha256), e.message);
    assert.equal(e.details.line, 3);
    assert.equal(e.details.file, f);
  });

  it(
    'reports an unknown host with its fingerprint, and records it once the user trusts it',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const f = path.join(dir('kh'), 'known_hosts');
      const e = await refusal(openSsh(endpoint({ knownHostsFile: f })));
      assert.equal(e.kind, 'host-key-unknown');
      assert.equal(e.details.fingerprint, srv!.hostSha256);
      assert.ok(e.message.includes(srv!.hostSha256));
      assert.equal(fs.existsSync(f), false, 'nothing is recorded without consent');

      const asked: HostTrustRequest[] = [];
      const s = await openSsh(endpoint({ knownHostsFile: f }), { trustHost: async (r) => (asked.push(r), true) });
      s.close();
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.fingerprint, srv!.hostSha256);
      assert.equal(asked[0]!.knownHostsFile, f);
      assert.equal(fs.readFileSync(f, 'utf8'), `[${srv!.host}]:${srv!.port} ${srv!.hostPublicKey}\n`);

      const again = await openSsh(endpoint({ knownHostsFile: f }), { trustHost: async (r) => (asked.push(r), true) });
      again.close();
      assert.equal(asked.length, 1, 'a recorded host is not asked about again');
    },
  );

  it('refuses an unknown host the user does not trust', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const f = path.join(dir('kh'), 'known_hosts');
    const e = await refusal(openSsh(endpoint({ knownHostsFile: f }), { trustHost: async () => false }));
    assert.equal(e.kind, 'host-key-unknown');
    assert.equal(fs.existsSync(f), false);
  });

  it('says "connection refused" for a closed port', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const e = await refusal(openSsh(endpoint({ port })));
    assert.equal(e.kind, 'refused');
    assert.match(e.message, new RegExp(`connection refused by ${srv!.user}@${srv!.host}:${port}`));
  });

  it('times out on a server that never speaks SSH, after ConnectTimeout', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const sshConfig = parseSshConfig('Host *\n  ConnectTimeout 1\n', '/test/config');
      const started = Date.now();
      const e = await refusal(openSsh(endpoint({ port }, { sshConfig })));
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /timed out after 1 s/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      silent.close();
    }
  });

  it(
    'asks for the passphrase of an encrypted key until it is right, and reports the accepted one',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const key = path.join(dir('enc'), 'id_enc');
      fs.copyFileSync(srv!.key, key);
      fs.chmodSync(key, 0o600);
      // Few KDF rounds: the test is about the flow, not the encryption's strength.
      execFileSync('ssh-keygen', ['-q', '-p', '-a', '2', '-P', '', '-N', 'correct horse', '-f', key]);
      const asked: boolean[] = [];
      const accepted: string[] = [];
      const answers = ['wrong', 'correct horse'];
      const s = await openSsh(endpoint({ identityFile: key }), {
        passphrases: {
          get: async (_f, wrong) => (asked.push(wrong), answers.shift()),
          accepted: (_f, p) => void accepted.push(p),
        },
      });
      s.close();
      assert.deepEqual(asked, [false, true]);
      assert.deepEqual(accepted, ['correct horse']);
      const e = await refusal(
        openSsh(endpoint({ identityFile: key }), { passphrases: { get: async () => undefined } }),
      );
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /passphrase not given/);
    },
  );

  it('authenticates through the SSH agent (SSH_AUTH_SOCK)', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const d = dir('agent');
    const sock = path.join(d, 'agent.sock');
    const out = execFileSync('ssh-agent', ['-s', '-a', sock], { encoding: 'utf8' });
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
    try {
      execFileSync('ssh-add', ['-q', srv!.key], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const home = dir('home');
      const ep = resolveEndpoint(
        { host: srv!.host, port: srv!.port, user: srv!.user, knownHostsFile: srv!.knownHosts },
        hermeticEnvironment(home, { env: { SSH_AUTH_SOCK: sock } }),
      );
      assert.equal(ep.agentSocket, sock);
      const s = await openSsh(ep);
      const r = await execCollect(s.client, 'echo agent-ok', 10_000, 'test');
      s.close();
      assert.equal(r.stdout.trim(), 'agent-ok');
    } finally {
      process.kill(pid, 'SIGTERM');
    }
  });

  it(
    'asks to trust an unknown host behind a known jump host, then connects through a fresh forwarded channel',
    { skip: SKIP_WITHOUT_SSHD },
    async () => {
      const f = knownHostsWithTestKey();
      // The jump host is known as [127.0.0.1]:port; the same sshd reached as "localhost" from the jump is not.
      const ep = resolveEndpoint(
        {
          host: 'localhost',
          port: srv!.port,
          user: srv!.user,
          identityFile: srv!.key,
          knownHostsFile: f,
          proxyJump: `${srv!.user}@${srv!.host}:${srv!.port}`,
        },
        hermeticEnvironment(dir('home')),
      );
      const asked: string[] = [];
      const s = await openSsh(ep, {
        trustHost: async (r) => (asked.push(`${r.host}:${r.port} ${r.fingerprint}`), true),
      });
      try {
        assert.deepEqual(asked, [`localhost:${srv!.port} ${srv!.hostSha256}`]);
        assert.equal((await execCollect(s.client, 'echo through', 10_000, 'test')).stdout.trim(), 'through');
        assert.match(fs.readFileSync(f, 'utf8'), new RegExp(`^\\[localhost\\]:${srv!.port} ssh-ed25519 `, 'm'));
      } finally {
        s.close();
      }
    },
  );

  it('goes through one ProxyJump host', { skip: SKIP_WITHOUT_SSHD }, async () => {
    const logs: string[] = [];
    const s = await openSsh(
      endpoint({ knownHostsFile: knownHostsWithTestKey(), proxyJump: `${srv!.user}@${srv!.host}:${srv!.port}` }),
      { log: (m) => logs.push(m) },
    );
    try {
      const r = await execCollect(s.client, 'echo "via $SSH_CONNECTION"', 10_000, 'test');
      assert.match(r.stdout, /^via 127\.0\.0\.1 /);
      assert.ok(
        logs.some((l) => l.startsWith('connecting to the jump host')),
        logs.join('\n'),
      );
      assert.ok(
        logs.some((l) => l.includes('through the jump host')),
        logs.join('\n'),
      );
    } finally {
      s.close();
    }
  });
});
