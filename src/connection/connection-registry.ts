import type { Cluster } from '../../common/catalog/cluster';
import type { AgentClient } from './agent-client';
import { AgentConnection, ClusterUnavailableError, type ConnectionState } from './agent-connection';
import { ConnectionError } from './errors';
import type { AgentTarget, Logger } from './target';

export interface RegistryOptions {
  /** The cluster profiles as the catalog has them now. */
  profiles: () => Record<string, Cluster>;
  createTarget: (id: string, profile: Cluster) => AgentTarget;
  log?: Logger;
  clientVersion?: string;
}

interface Entry {
  connection: AgentConnection;
  /** The profile the connection was made from: an edit to it means a new connection. */
  fingerprint: string;
  unsubscribe: () => void;
}

/** Fields of a profile that decide how the agent is reached (job settings such as partition do not). */
function connectionFingerprint(p: Cluster): string {
  return JSON.stringify([
    p.host,
    p.port,
    p.user,
    p.identityFile,
    p.knownHostsFile,
    p.proxyJump,
    p.workdir,
    p.node,
    p.setup,
  ]);
}

/** One AgentConnection per cluster profile id, replaced when the profile's connection fields change. */
export class ConnectionRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(id: string, state: ConnectionState) => void>();
  private lastUsedId: string | undefined;

  constructor(private readonly opts: RegistryOptions) {}

  /** The profile most recently connected or used (what the status bar shows). */
  get lastUsed(): string | undefined {
    return this.lastUsedId;
  }

  onDidChangeState(listener: (id: string, state: ConnectionState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The connection for a profile (not yet connected: it connects on first use). */
  connection(id: string): AgentConnection {
    const profiles = this.opts.profiles();
    const profile = profiles[id];
    if (!profile) {
      const known = Object.keys(profiles);
      throw new ClusterUnavailableError(
        id,
        new ConnectionError(
          'config',
          `there is no cluster profile "${id}" in .evalbench/clusters.jsonc (known: ${known.length ? known.join(', ') : 'none'})`,
        ),
      );
    }
    const fingerprint = connectionFingerprint(profile);
    const existing = this.entries.get(id);
    if (existing && existing.fingerprint === fingerprint) return existing.connection;
    if (existing) {
      this.opts.log?.(`cluster profile "${id}" changed: reconnecting with the new settings`);
      this.drop(id);
    }
    const connection = new AgentConnection(this.opts.createTarget(id, profile), {
      clusterId: id,
      log: this.opts.log,
      clientVersion: this.opts.clientVersion,
    });
    const sub = connection.onDidChangeState((s) => {
      if (s.kind === 'connecting' || s.kind === 'connected') this.lastUsedId = id;
      for (const l of [...this.listeners]) l(id, s);
    });
    this.entries.set(id, { connection, fingerprint, unsubscribe: () => sub.dispose() });
    return connection;
  }

  /** A connected client for a profile; a ClusterUnavailableError says which cluster and why when it cannot be. */
  async client(id: string): Promise<AgentClient> {
    const connection = this.connection(id);
    this.lastUsedId = id;
    try {
      return await connection.connect();
    } catch (e) {
      throw new ClusterUnavailableError(id, e as Error);
    }
  }

  states(): { id: string; state: ConnectionState }[] {
    return [...this.entries].map(([id, e]) => ({ id, state: e.connection.state }));
  }

  /** Drops connections whose profile was removed or changed how it connects. */
  reconcile(): void {
    const profiles = this.opts.profiles();
    for (const [id, e] of [...this.entries]) {
      const p = profiles[id];
      if (!p || connectionFingerprint(p) !== e.fingerprint) {
        this.opts.log?.(
          p
            ? `cluster profile "${id}" changed: its connection is closed`
            : `cluster profile "${id}" was removed: its connection is closed`,
        );
        this.drop(id);
      }
    }
  }

  disconnect(id: string): void {
    this.entries.get(id)?.connection.disconnect('disconnected by the user');
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) this.drop(id);
    this.listeners.clear();
  }

  private drop(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    e.connection.dispose();
    e.unsubscribe();
    for (const l of [...this.listeners]) l(id, { kind: 'idle' });
  }
}
