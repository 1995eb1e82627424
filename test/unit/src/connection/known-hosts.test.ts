import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  checkHostKey,
  entryMatchesHost,
  parseKnownHosts,
  readKnownHostsFile,
  recordHostKey,
  sha256Fingerprint,
} from '../../../../src/connection/known-hosts';

/** A structurally valid key blob of a type: string type, then string payload. */
function blob(type: string, payload: string): Buffer {
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return Buffer.concat([str(Buffer.from(type)), str(Buffer.from(payload))]);
}
const ED_A = blob('ssh-ed25519', 'a'.repeat(32));
const ED_B = blob('ssh-ed25519', 'b'.repeat(32));
const RSA = blob('ssh-rsa', 'r'.repeat(64));

function hashed(name: string): string {
  const salt = crypto.randomBytes(20);
  return `|1|${salt.toString('base64')}|${crypto.createHmac('sha1', salt).update(name).digest('base64')}`;
}
const line = (hosts: string, key: Buffer, marker = '') =>
  `${marker ? marker + ' ' : ''}${hosts} ${key.subarray(4, 4 + key.readUInt32BE(0)).toString()} ${key.toString('base64')}`;

describe('known_hosts', () => {
  it('computes OpenSSH SHA256 fingerprints', () => {
    // The fingerprint ssh-keygen -lf prints for this ed25519 public key.
    const b = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAILVmd4kJsWbER7iAWf9JpfWnuesNscIvxCUoaewZ9X9i', 'base64');
    assert.equal(sha256Fingerprint(b), 'SHA256:jALn3sCoLov/IRb5sGbXPJH83gGPYugCS6ytUROj7/8');
  });

  it('matches plain names, patterns and [host]:port', () => {
    const f = parseKnownHosts(
      [line('login1,10.0.0.1', ED_A), line('[gpu.example]:2222', ED_B), line('*.hpc.example', RSA)].join('\n'),
      '/kh',
    );
    assert.equal(checkHostKey([f], 'login1', 22, ED_A).status, 'match');
    assert.equal(checkHostKey([f], '10.0.0.1', 22, ED_A).status, 'match');
    assert.equal(checkHostKey([f], 'gpu.example', 2222, ED_B).status, 'match');
    assert.equal(checkHostKey([f], 'gpu.example', 22, ED_B).status, 'unknown', 'the port is part of the name');
    assert.equal(checkHostKey([f], 'n1.hpc.example', 22, RSA).status, 'match');
  });

  it('matches hashed names, with and without a port', () => {
    const f = parseKnownHosts([line(hashed('login1'), ED_A), line(hashed('[login1]:2222'), ED_B)].join('\n'), '/kh');
    assert.equal(checkHostKey([f], 'login1', 22, ED_A).status, 'match');
    assert.equal(checkHostKey([f], 'login1', 2222, ED_B).status, 'match');
    assert.equal(entryMatchesHost(f.entries[0]!.hosts, 'login2'), false);
  });

  it('reports a changed key with the file and line of the recorded one', () => {
    const f = parseKnownHosts(
      ['# comment', '', line('other', ED_B), line(hashed('login1'), ED_A)].join('\n'),
      '/home/u/.ssh/known_hosts',
    );
    const r = checkHostKey([f], 'login1', 22, ED_B);
    assert.equal(r.status, 'changed');
    assert.ok(r.status === 'changed');
    assert.equal(r.file, '/home/u/.ssh/known_hosts');
    assert.equal(r.line, 4);
    assert.equal(r.knownFingerprint, sha256Fingerprint(ED_A));
    assert.equal(r.fingerprint, sha256Fingerprint(ED_B));
  });

  it('treats an unknown host, or a known host with only other key types, as unknown with the fingerprint', () => {
    const f = parseKnownHosts(line('login1', RSA), '/kh');
    const r = checkHostKey([f], 'login1', 22, ED_A);
    assert.equal(r.status, 'unknown');
    assert.ok(r.status === 'unknown');
    assert.equal(r.fingerprint, sha256Fingerprint(ED_A));
    assert.equal(r.hostToken, 'login1');
    assert.deepEqual(r.knownTypes, ['ssh-rsa']);
    const none = checkHostKey([f], 'elsewhere', 2222, ED_A);
    assert.ok(none.status === 'unknown');
    assert.equal(none.hostToken, '[elsewhere]:2222');
  });

  it('refuses @revoked keys and does not use @cert-authority lines', () => {
    const f = parseKnownHosts(
      [line('*', ED_A, '@revoked'), line('login1', ED_A), line('*', ED_B, '@cert-authority')].join('\n'),
      '/kh',
    );
    const r = checkHostKey([f], 'login1', 22, ED_A);
    assert.equal(r.status, 'revoked');
    assert.equal(checkHostKey([f], 'login2', 22, ED_B).status, 'unknown');
  });

  it('reports malformed lines and keeps reading', () => {
    const f = parseKnownHosts(
      ['garbage', '@bogus h ssh-ed25519 AAAA', `login1 ssh-ed25519 not*base64`, line('login1', ED_A)].join('\n'),
      '/kh',
    );
    assert.deepEqual(
      f.problems.map((p) => p.line),
      [1, 2, 3],
    );
    assert.equal(f.entries.length, 1);
  });

  it('checks files in order and records a trusted key by appending one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-kh-'));
    try {
      const file = path.join(dir, 'sub', 'known_hosts');
      recordHostKey(file, 'gpu', 2222, ED_A);
      fs.appendFileSync(file, '# no newline at the end');
      recordHostKey(file, 'login1', 22, ED_B);
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(text.split('\n').length, 4);
      assert.match(text, /^\[gpu\]:2222 ssh-ed25519 /);
      const f = readKnownHostsFile(file);
      assert.equal(checkHostKey([f], 'gpu', 2222, ED_A).status, 'match');
      assert.equal(checkHostKey([f], 'login1', 22, ED_B).status, 'match');
      assert.equal(readKnownHostsFile(path.join(dir, 'missing')).entries.length, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
