/** Why a connection to the agent failed, each with a message a user can act on. */
export type ConnectionFailure =
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'network'
  | 'auth'
  | 'key'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'host-key-unknown'
  | 'config'
  | 'node-missing'
  | 'node-too-old'
  | 'setup-failed'
  | 'upload'
  | 'agent-start'
  | 'version-mismatch'
  | 'closed';

export class ConnectionError extends Error {
  constructor(
    readonly kind: ConnectionFailure,
    message: string,
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** Failures worth retrying automatically (the network or the server side may come back). */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof ConnectionError)) return false;
  return ['refused', 'timeout', 'network', 'closed', 'dns'].includes(e.kind);
}

interface SshLikeError extends Error {
  code?: string;
  level?: string;
}

/** Maps a socket or ssh2 error to a precise ConnectionError for `where` (e.g. "root@login1:22"). */
export function describeSshError(e: unknown, where: string, timeoutMs: number): ConnectionError {
  if (e instanceof ConnectionError) return e;
  const err = (e instanceof Error ? e : new Error(String(e))) as SshLikeError;
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED')
    return new ConnectionError(
      'refused',
      `connection refused by ${where}: is sshd running there and is the port right?`,
    );
  if (code === 'ETIMEDOUT' || err.level === 'client-timeout' || /timed out/i.test(err.message)) {
    return new ConnectionError(
      'timeout',
      `timed out after ${Math.round(timeoutMs / 1000)} s connecting to ${where}: the host does not answer (network, VPN or firewall?)`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ConnectionError('dns', `cannot resolve the host name of ${where} (${code})`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET' || code === 'EPIPE') {
    return new ConnectionError('network', `network error talking to ${where}: ${code}`);
  }
  if (err.level === 'client-authentication') {
    return new ConnectionError(
      'auth',
      `authentication failed for ${where}: the server accepted none of the offered keys`,
    );
  }
  return new ConnectionError('network', `cannot connect to ${where}: ${err.message}`);
}
