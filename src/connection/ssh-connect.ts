import { Client, type ClientChannel, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { ConnectionError, describeSshError } from './errors';
import {
  checkHostKey,
  knownKeyTypes,
  readKnownHostsFile,
  recordHostKey,
  type HostKeyCheck,
  type KnownHostsFile,
} from './known-hosts';
import { prepareAuth, type PassphraseSource } from './ssh-auth';
import { describeEndpoint, type SshEndpoint } from './ssh-endpoint';

export interface HostTrustRequest {
  /** The name the user gave (alias or host). */
  label: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** Where the key will be recorded if trusted. */
  knownHostsFile: string;
  /** Other key types already known for this host (a different type is not a change, but worth saying). */
  knownTypes: string[];
}

export interface SshConnectOptions {
  passphrases?: PassphraseSource;
  /** Asked when a host key is unknown; true records it and connects. Absent: unknown hosts are refused. */
  trustHost?: (request: HostTrustRequest) => Promise<boolean>;
  log?: (message: string) => void;
}

/** An open SSH connection (through its jump host, if any). */
export interface SshSession {
  client: Client;
  endpoint: SshEndpoint;
  /** Resolves once, when the connection (or its jump host) closes, with the reason. */
  closed: Promise<string>;
  close(): void;
}

const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Puts the algorithms of host key types already in known_hosts first, as ssh does, so a known host stays known. */
function preferredHostKeyAlgorithms(knownTypes: string[]): ServerHostKeyAlgorithm[] {
  const first = HOST_KEY_ALGORITHMS.filter(
    (a) => knownTypes.includes(a) || (knownTypes.includes('ssh-rsa') && a.startsWith('rsa-sha2-')),
  );
  return [...first, ...HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a))];
}

export async function openSsh(endpoint: SshEndpoint, opts: SshConnectOptions = {}): Promise<SshSession> {
  const log = opts.log ?? (() => {});
  for (const w of endpoint.warnings) log(`warning: ${w}`);
  if (!endpoint.jump) return connectHop(endpoint, opts, log);
  log(`connecting to the jump host ${describeEndpoint(endpoint.jump)}`);
  const jump = await connectHop(endpoint.jump, opts, log);
  try {
    const target = await connectHop(endpoint, opts, log, () => forward(jump.client, endpoint));
    const closed = Promise.race([target.closed, jump.closed.then((r) => `jump host: ${r}`)]);
    return { client: target.client, endpoint, closed, close: () => (target.close(), jump.close()) };
  } catch (e) {
    jump.close();
    throw e;
  }
}

function forward(jump: Client, target: SshEndpoint): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    jump.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
      if (err)
        reject(
          new ConnectionError(
            'network',
            `the jump host could not open a connection to ${target.host}:${target.port}: ${err.message}`,
          ),
        );
      else resolve(stream);
    });
  });
}

/** `openSock`: a fresh channel through the jump host for each attempt (a refused attempt uses its channel up). */
async function connectHop(
  endpoint: SshEndpoint,
  opts: SshConnectOptions,
  log: (m: string) => void,
  openSock?: () => Promise<ClientChannel>,
  trustedNow = false,
): Promise<SshSession> {
  const where = describeEndpoint(endpoint);
  const knownHosts = readKnownHosts(endpoint, log);
  const auth = await prepareAuth(endpoint, opts.passphrases);
  for (const s of auth.skipped) log(`${where}: not offering ${s}`);
  log(`connecting to ${where}${openSock ? ' through the jump host' : ''}; offering ${auth.offered.join(', ')}`);
  const sock = openSock ? await openSock() : undefined;
  let check: HostKeyCheck | undefined;
  let presentedKey: Buffer | undefined;
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    sock,
    readyTimeout: endpoint.readyTimeoutMs,
    keepaliveInterval: endpoint.keepaliveIntervalMs,
    keepaliveCountMax: endpoint.keepaliveCountMax,
    authHandler: auth.methods,
    algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownKeyTypes(knownHosts, endpoint.host, endpoint.port)) },
    hostVerifier: (key: Buffer) => {
      presentedKey = key;
      check = checkHostKey(knownHosts, endpoint.host, endpoint.port, key);
      return check.status === 'match';
    },
  };
  const client = new Client();
  try {
    await new Promise<void>((resolve, reject) => {
      client.on('ready', resolve);
      client.on('error', (e: Error & { level?: string }) => {
        // An unreachable agent is not fatal: ssh2 moves on to the next key.
        if (e.level === 'agent') log(`${where}: ssh-agent failed: ${e.message}`);
        else reject(e);
      });
      client.connect(config);
    });
  } catch (e) {
    client.end();
    if (check && check.status !== 'match') {
      const refusal = hostKeyRefusal(check, endpoint);
      if (check.status !== 'unknown' || trustedNow || !opts.trustHost || !presentedKey) throw refusal;
      const file = endpoint.knownHostsFiles[0]!;
      log(`${where}: unknown host key ${check.keyType} ${check.fingerprint}; asking whether to trust it`);
      const trusted = await opts.trustHost({
        label: endpoint.label,
        host: endpoint.host,
        port: endpoint.port,
        keyType: check.keyType,
        fingerprint: check.fingerprint,
        knownHostsFile: file,
        knownTypes: check.knownTypes,
      });
      if (!trusted) throw refusal;
      recordHostKey(file, endpoint.host, endpoint.port, presentedKey);
      log(`${where}: recorded ${check.keyType} ${check.fingerprint} in ${file}`);
      return connectHop(endpoint, opts, log, openSock, true);
    }
    const err = describeSshError(e, where, endpoint.readyTimeoutMs);
    if (err.kind === 'auth')
      err.message += ` (offered: ${auth.offered.join(', ')}${auth.skipped.length ? `; not offered: ${auth.skipped.join(', ')}` : ''})`;
    throw err;
  }
  log(
    `${where}: connected (host key ${check?.keyType} ${check?.fingerprint} known from ${check?.status === 'match' ? `${check.file}:${check.line}` : '?'})`,
  );
  const closed = new Promise<string>((resolve) => {
    let reason = 'connection closed';
    client.on('error', (e: Error) => (reason = `connection lost: ${e.message}`));
    client.on('close', () => resolve(reason));
  });
  return { client, endpoint, closed, close: () => client.end() };
}

function readKnownHosts(endpoint: SshEndpoint, log: (m: string) => void): KnownHostsFile[] {
  return endpoint.knownHostsFiles.map((f) => {
    const parsed = readKnownHostsFile(f);
    for (const p of parsed.problems) log(`${f}:${p.line}: ${p.message} (line ignored)`);
    return parsed;
  });
}

function hostKeyRefusal(check: Exclude<HostKeyCheck, { status: 'match' }>, endpoint: SshEndpoint): ConnectionError {
  const name = `${endpoint.label}${endpoint.label !== endpoint.host ? ` (${endpoint.host})` : ''} port ${endpoint.port}`;
  switch (check.status) {
    case 'changed':
      return new ConnectionError(
        'host-key-changed',
        `the host key of ${name} has CHANGED: the server presents ${check.keyType} ${check.fingerprint}, but ${check.file}:${check.line} records ${check.knownFingerprint}. ` +
          `Someone may be intercepting the connection, or the host was reinstalled. If the change is expected, remove line ${check.line} of ${check.file} and connect again.`,
        { file: check.file, line: check.line, fingerprint: check.fingerprint },
      );
    case 'revoked':
      return new ConnectionError(
        'host-key-revoked',
        `the host key of ${name} (${check.fingerprint}) is marked @revoked in ${check.file}:${check.line}`,
        { file: check.file, line: check.line, fingerprint: check.fingerprint },
      );
    case 'unknown':
      return new ConnectionError(
        'host-key-unknown',
        `the host key of ${name} is not known: ${check.keyType} ${check.fingerprint}${check.knownTypes.length ? ` (known keys of other types: ${check.knownTypes.join(', ')})` : ''}. Trust it to record it in ${endpoint.knownHostsFiles[0]}.`,
        { fingerprint: check.fingerprint, keyType: check.keyType },
      );
  }
}
