import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { matchPatternList, parseJumpSpec, parseSshConfig, resolveSshHost } from '../../../../src/connection/ssh-config';
import { readIncludeFromDisk } from '../../../../src/connection/ssh-config-load';
import { resolveEndpoint } from '../../../../src/connection/ssh-endpoint';

const HOME = '/home/alice';
const opts = { home: HOME, localUser: 'alice' };

function resolve(text: string, alias: string) {
  return resolveSshHost(parseSshConfig(text, '/home/alice/.ssh/config', undefined, HOME), alias, opts);
}

describe('ssh config', () => {
  it('resolves an alias: HostName, User, Port, IdentityFile with ~ and tokens', () => {
    const text = [
      '# cluster',
      'Host gpu gpu-login',
      '    HostName login.%h.example.org',
      '    User bob',
      '    Port 2200',
      '    IdentityFile ~/.ssh/id_%r_%h',
      '',
      'Host *',
      '    User nobody',
      '    IdentityFile ~/.ssh/id_ed25519',
    ].join('\n');
    const c = resolve(text, 'gpu');
    assert.equal(c.hostName, 'login.gpu.example.org');
    assert.equal(c.user, 'bob', 'the first matching value wins, even when a later Host * sets it too');
    assert.equal(c.port, 2200);
    assert.deepEqual(c.identityFiles, ['/home/alice/.ssh/id_bob_login.gpu.example.org', '/home/alice/.ssh/id_ed25519']);
  });

  it('matches * and ? patterns and honours negation', () => {
    assert.equal(matchPatternList('node07.cluster', ['node??.cluster']), true);
    assert.equal(matchPatternList('node7.cluster', ['node??.cluster']), false);
    assert.equal(matchPatternList('login1', ['*', '!login*']), false);
    assert.equal(matchPatternList('gpu3', ['*', '!login*']), true);
    const c = resolve('Host *.hpc !bad.hpc\n  User hpcuser\nHost *\n  User other\n', 'bad.hpc');
    assert.equal(c.user, 'other');
    assert.equal(c.hostName, 'bad.hpc', 'without HostName the alias is the host name');
    assert.equal(c.port, 22);
  });

  it('accepts Key=Value, quoted values, comments and case-insensitive keywords', () => {
    const c = resolve('HOST x\n  hostname="my host"\n  PORT=2022 # the port\n  identityfile "~/keys/my key"\n', 'x');
    assert.equal(c.hostName, 'my host');
    assert.equal(c.port, 2022);
    assert.deepEqual(c.identityFiles, ['/home/alice/keys/my key']);
  });

  it('reads ProxyJump and parses jump specs', () => {
    const c = resolve('Host inner\n  HostName 10.0.0.5\n  ProxyJump carol@bastion:2201\n', 'inner');
    assert.equal(c.proxyJump, 'carol@bastion:2201');
    assert.deepEqual(parseJumpSpec('carol@bastion:2201'), { user: 'carol', host: 'bastion', port: 2201 });
    assert.deepEqual(parseJumpSpec('bastion'), { user: undefined, host: 'bastion', port: undefined });
    assert.deepEqual(parseJumpSpec('ssh://u@[::1]:23'), { user: 'u', host: '::1', port: 23 });
    assert.throws(() => parseJumpSpec('a,b'), /several jump hosts/);
    assert.equal(resolve('Host x\n  ProxyJump none\n', 'x').proxyJump, undefined);
  });

  it('reports unsupported keywords and ignores Match blocks other than Match all', () => {
    const parsed = parseSshConfig(
      'Match host foo exec "true"\n  User m\nMatch all\n  Port 2\nHost y\n  ProxyCommand nc %h %p\n',
      '/c',
      undefined,
      HOME,
    );
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0]!.message, /Match host foo/);
    const c = resolveSshHost(parsed, 'foo', opts);
    assert.equal(c.user, undefined);
    assert.equal(c.port, 2);
    const y = resolveSshHost(parsed, 'y', opts);
    assert.deepEqual(y.unsupported, ['proxycommand (/c:6)']);
  });

  it('follows Include (relative to ~/.ssh, with globs), keeping the including block as condition', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-sshcfg-'));
    try {
      fs.mkdirSync(path.join(home, '.ssh', 'conf.d'), { recursive: true });
      fs.writeFileSync(path.join(home, '.ssh', 'conf.d', 'a.conf'), 'Host alpha\n  HostName alpha.example\n');
      fs.writeFileSync(path.join(home, '.ssh', 'conf.d', 'b.conf'), 'Port 2222\n');
      const text = 'Host beta\n  Include conf.d/b.conf\nInclude conf.d/*.conf\n';
      const parsed = parseSshConfig(text, path.join(home, '.ssh', 'config'), readIncludeFromDisk, home);
      assert.equal(resolveSshHost(parsed, 'alpha', { home, localUser: 'u' }).hostName, 'alpha.example');
      assert.equal(resolveSshHost(parsed, 'beta', { home, localUser: 'u' }).port, 2222);
      assert.equal(
        resolveSshHost(parsed, 'gamma', { home, localUser: 'u' }).port,
        22,
        'b.conf inside "Host beta" applies only to beta',
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('combines with a profile: the profile wins, defaults fill in, the jump host is resolved through the config', () => {
    const sshConfig = parseSshConfig(
      'Host gpu\n  HostName login.example\n  User bob\n  IdentityFile ~/.ssh/gpu_key\n  ProxyJump jump\nHost jump\n  HostName bastion.example\n  Port 2201\n  User j\n',
      '/c',
      undefined,
      HOME,
    );
    const env = {
      home: HOME,
      localUser: 'alice',
      env: { SSH_AUTH_SOCK: '/tmp/agent.sock' },
      sshConfig,
      globalKnownHostsFiles: [],
    };
    const e = resolveEndpoint({ host: 'gpu', port: 2022 }, env);
    assert.equal(e.host, 'login.example');
    assert.equal(e.port, 2022);
    assert.equal(e.user, 'bob');
    assert.equal(e.agentSocket, '/tmp/agent.sock');
    assert.deepEqual(e.identityFiles, [
      '/home/alice/.ssh/gpu_key',
      '/home/alice/.ssh/id_ed25519',
      '/home/alice/.ssh/id_ecdsa',
      '/home/alice/.ssh/id_rsa',
    ]);
    assert.deepEqual(e.knownHostsFiles, ['/home/alice/.ssh/known_hosts']);
    assert.equal(e.jump?.host, 'bastion.example');
    assert.equal(e.jump?.port, 2201);
    assert.equal(e.jump?.user, 'j');
    const direct = resolveEndpoint(
      { host: '10.1.2.3', user: 'root', identityFile: '~/k', knownHostsFile: '~/kh' },
      env,
    );
    assert.deepEqual(direct.identityFiles, ['/home/alice/k'], 'a profile key is used alone');
    assert.deepEqual(direct.knownHostsFiles, ['/home/alice/kh']);
    assert.equal(direct.jump, undefined);
  });
});
