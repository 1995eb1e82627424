import type { z } from 'zod';
import { AGENT_PROTOCOL_VERSION, Hello } from '../../common/protocol/agent-methods';
import type { MethodSpec, ResultOf } from '../../common/protocol/method';
import { EVALBENCH_VERSION } from '../../common/version';
import { AgentClient, AgentRpcError, type CallOptions } from './agent-client';
import { ConnectionError } from './errors';
import { watchRun, type RunWatch, type WatchedEvent, type WatchOptions } from './run-watch';
import type { AgentTarget, Logger } from './target';
import { errorMessage } from '../../common/error-message';

export type HelloInfo = ResultOf<typeof Hello>;

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; hello: HelloInfo; description: string }
  | { kind: 'disconnected'; reason: string; error?: ConnectionError };

/** A command needed the cluster and could not reach it; the message says which cluster and why. */
export class ClusterUnavailableError extends Error {
  constructor(
    readonly clusterId: string,
    override readonly cause: Error,
  ) {
    super(`cluster "${clusterId}" is not reachable: ${cause.message}`);
    this.name = 'ClusterUnavailableError';
  }
}

export interface AgentConnectionOptions {
  /** The cluster profile id, for messages. */
  clusterId: string;
  log?: Logger;
  clientVersion?: string;
  defaultTimeoutMs?: number;
}

interface Disposable {
  dispose(): void;
}

/**
 * One agent for one cluster profile: connects on demand, checks versions in hello (re-uploading once on a
 * mismatch), reports its state, and reconnects when asked after the connection dropped. Its lifetime is its
 * own: the extension disposes it when the profile goes away or on deactivation.
 */
export class AgentConnection {
  private current: AgentClient | undefined;
  private pending: Promise<AgentClient> | undefined;
  private stateValue: ConnectionState = { kind: 'idle' };
  private readonly listeners = new Set<(s: ConnectionState) => void>();
  private disposed = false;

  constructor(
    readonly target: AgentTarget,
    private readonly opts: AgentConnectionOptions,
  ) {}

  get clusterId(): string {
    return this.opts.clusterId;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  onDidChangeState(listener: (s: ConnectionState) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The connected client, connecting first when needed; concurrent callers share one attempt. */
  connect(): Promise<AgentClient> {
    if (this.disposed)
      return Promise.reject(new ConnectionError('closed', `the connection to "${this.opts.clusterId}" was disposed`));
    if (this.current && !this.current.isClosed) return Promise.resolve(this.current);
    if (this.pending) return this.pending;
    this.setState({ kind: 'connecting' });
    this.pending = this.establish().then(
      (client) => {
        this.pending = undefined;
        return client;
      },
      (e: unknown) => {
        this.pending = undefined;
        // Do not keep an SSH connection open for an agent that could not start; the next attempt starts afresh.
        this.target.dispose();
        const error = e instanceof ConnectionError ? e : new ConnectionError('agent-start', errorMessage(e));
        this.log(`connection to "${this.opts.clusterId}" failed: ${error.message}`);
        this.setState({ kind: 'disconnected', reason: error.message, error });
        throw error;
      },
    );
    return this.pending;
  }

  /** A typed call; when the cluster cannot be reached the error says so (ClusterUnavailableError). */
  async call<P extends z.ZodType, R extends z.ZodType>(
    spec: MethodSpec<P, R>,
    params: z.input<P>,
    options?: CallOptions,
  ): Promise<z.output<R>> {
    let client: AgentClient;
    try {
      client = await this.connect();
    } catch (e) {
      throw new ClusterUnavailableError(this.opts.clusterId, e as Error);
    }
    return client.call(spec, params, options);
  }

  /** Streams a run's events from `fromOffset`, reconnecting (with backoff) and resuming after a drop. */
  watch(
    runId: string,
    fromOffset: number,
    onEvents: (events: WatchedEvent[], next: number) => void | Promise<void>,
    options?: WatchOptions,
  ): RunWatch {
    return watchRun(this, runId, fromOffset, onEvents, options);
  }

  /** Closes the agent and the connection; a later call connects again. */
  disconnect(reason = 'disconnected'): void {
    const c = this.current;
    this.current = undefined;
    c?.dispose();
    this.target.dispose();
    this.setState({ kind: 'disconnected', reason });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disconnect('closed');
    this.disposed = true;
    this.listeners.clear();
  }

  private async establish(): Promise<AgentClient> {
    const clientVersion = this.opts.clientVersion ?? EVALBENCH_VERSION;
    this.log(`connecting to "${this.opts.clusterId}" (${this.target.label})`);
    let client = await this.openClient(false);
    let hello = await this.hello(client, clientVersion);
    if (typeof hello === 'string' && this.target.canReinstall) {
      this.log(`${hello}; uploading the agent again`);
      client.dispose();
      client = await this.openClient(true);
      hello = await this.hello(client, clientVersion);
    }
    if (typeof hello === 'string') {
      client.dispose();
      throw new ConnectionError(
        'version-mismatch',
        `${hello}. Rebuild the extension ("npm run build") so the agent and the extension match.`,
      );
    }
    if (this.disposed) {
      client.dispose();
      throw new ConnectionError('closed', `the connection to "${this.opts.clusterId}" was disposed`);
    }
    this.current = client;
    const info = hello;
    this.log(
      `connected to "${this.opts.clusterId}": ${client.channel.description}; agent ${info.agentVersion} (protocol ${info.protocol}) as ${info.user}@${info.host}, node ${info.node}`,
    );
    this.setState({ kind: 'connected', hello: info, description: client.channel.description });
    void client.closed.then((reason) => {
      if (this.current !== client) return;
      this.current = undefined;
      this.log(`connection to "${this.opts.clusterId}" lost: ${reason}`);
      this.setState({ kind: 'disconnected', reason, error: new ConnectionError('closed', reason) });
    });
    return client;
  }

  private async openClient(forceUpload: boolean): Promise<AgentClient> {
    const channel = await this.target.open({ forceUpload });
    return new AgentClient(channel, { log: this.opts.log, defaultTimeoutMs: this.opts.defaultTimeoutMs });
  }

  /** The agent's hello, or why its version does not fit. */
  private async hello(client: AgentClient, clientVersion: string): Promise<HelloInfo | string> {
    try {
      const info = await client.call(Hello, { clientVersion, protocol: AGENT_PROTOCOL_VERSION }, { timeoutMs: 30_000 });
      if (info.protocol !== AGENT_PROTOCOL_VERSION)
        return `the agent speaks protocol ${info.protocol}, the extension ${AGENT_PROTOCOL_VERSION}`;
      if (info.agentVersion !== clientVersion)
        return `the agent is version ${info.agentVersion}, the extension ${clientVersion}`;
      return info;
    } catch (e) {
      if (e instanceof AgentRpcError) return `the agent refused hello: ${e.message}`;
      // When the agent died, the channel's reason carries its last stderr lines: the useful part.
      const reason = client.isClosed ? await client.closed : (e as Error).message;
      client.dispose();
      throw new ConnectionError('agent-start', `the agent did not answer hello: ${reason}`);
    }
  }

  private setState(s: ConnectionState): void {
    this.stateValue = s;
    for (const l of [...this.listeners]) l(s);
  }

  private log(message: string): void {
    this.opts.log?.(message);
  }
}
