import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { matchPatternList } from './ssh-config';

export interface KnownHostEntry {
  marker?: 'cert-authority' | 'revoked';
  /** The host field as written: comma-separated patterns, or one `|1|salt|hash` hashed name. */
  hosts: string;
  keyType: string;
  key: Buffer;
  file: string;
  line: number;
}

export interface KnownHostsFile {
  file: string;
  entries: KnownHostEntry[];
  problems: { line: number; message: string }[];
}

export type HostKeyCheck =
  | { status: 'match'; fingerprint: string; keyType: string; file: string; line: number }
  | { status: 'unknown'; fingerprint: string; keyType: string; hostToken: string; knownTypes: string[] }
  | { status: 'changed'; fingerprint: string; keyType: string; file: string; line: number; knownFingerprint: string }
  | { status: 'revoked'; fingerprint: string; keyType: string; file: string; line: number };

/** OpenSSH's `SHA256:<base64 without padding>` fingerprint of a key blob. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + crypto.createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const n = keyBlob.readUInt32BE(0);
  if (n <= 0 || 4 + n > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + n).toString('latin1');
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostsFile {
  const entries: KnownHostEntry[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@cert-authority') marker = 'cert-authority';
      else if (m === '@revoked') marker = 'revoked';
      else {
        problems.push({ line, message: `unknown marker ${m}` });
        return;
      }
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) {
      problems.push({ line, message: 'expected "hosts keytype base64-key"' });
      return;
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      problems.push({ line, message: 'the key is not base64' });
      return;
    }
    entries.push({ marker, hosts, keyType, key: Buffer.from(b64, 'base64'), file, line });
  });
  return { file, entries, problems };
}

/** Whether an entry's host field names `token` (a plain pattern list or a hashed `|1|salt|hash` name). */
export function entryMatchesHost(hosts: string, token: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const mac = crypto.createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
    return mac === hash;
  }
  return matchPatternList(token, hosts.split(','));
}

/**
 * Checks a host key against known_hosts files, in order, like ssh: a revoked key is refused, an exact match is
 * accepted, a different key of the same type for the host is a change (named by file and line), anything else
 * is unknown. @cert-authority lines are not used: evalbench does not accept host certificates.
 */
export function checkHostKey(files: KnownHostsFile[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  const token = hostToken(host, port);
  const keyType = keyTypeOfBlob(keyBlob);
  const fingerprint = sha256Fingerprint(keyBlob);
  const relevant = files
    .flatMap((f) => f.entries)
    .filter((e) => e.marker !== 'cert-authority' && entryMatchesHost(e.hosts, token));
  const revoked = relevant.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', fingerprint, keyType, file: revoked.file, line: revoked.line };
  const plain = relevant.filter((e) => e.marker === undefined);
  const match = plain.find((e) => e.key.equals(keyBlob));
  if (match) return { status: 'match', fingerprint, keyType, file: match.file, line: match.line };
  const changed = plain.find((e) => keyTypeOfBlob(e.key) === keyType);
  if (changed)
    return {
      status: 'changed',
      fingerprint,
      keyType,
      file: changed.file,
      line: changed.line,
      knownFingerprint: sha256Fingerprint(changed.key),
    };
  return {
    status: 'unknown',
    fingerprint,
    keyType,
    hostToken: token,
    knownTypes: [...new Set(plain.map((e) => keyTypeOfBlob(e.key)))],
  };
}

/** Key types known for a host, so the handshake can prefer them (as ssh does) instead of meeting an unknown type. */
export function knownKeyTypes(files: KnownHostsFile[], host: string, port: number): string[] {
  const token = hostToken(host, port);
  const types = files
    .flatMap((f) => f.entries)
    .filter((e) => e.marker === undefined && entryMatchesHost(e.hosts, token))
    .map((e) => keyTypeOfBlob(e.key));
  return [...new Set(types)];
}

/** Reads a known_hosts file; a missing one is empty. */
export function readKnownHostsFile(file: string): KnownHostsFile {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return parseKnownHosts(text, file);
}

/** The line that records a trusted key, as ssh writes it unhashed. */
export function knownHostsLine(host: string, port: number, keyBlob: Buffer): string {
  return `${hostToken(host, port)} ${keyTypeOfBlob(keyBlob)} ${keyBlob.toString('base64')}`;
}

/** Appends a trusted key to a known_hosts file (creating it and its folder, private), never rewriting lines. */
export function recordHostKey(file: string, host: string, port: number, keyBlob: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = fs.readFileSync(file);
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n';
  } catch {
    // new file
  }
  fs.appendFileSync(file, `${prefix}${knownHostsLine(host, port, keyBlob)}\n`, { mode: 0o600 });
}
