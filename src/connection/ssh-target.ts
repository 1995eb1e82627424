import type { Cluster } from '../../common/catalog/cluster';
import { loadAgentBundle } from './agent-bundle';
import { ensureAgentUploaded } from './agent-upload';
import type { StagedFile } from '../../common/run/dataset-files';
import { ensureDatasetUploaded } from './dataset-upload';
import { ConnectionError } from './errors';
import { parseProbe, probeScript, serveScript, type RemoteRuntime } from './remote-script';
import { openSsh, type SshConnectOptions, type SshSession } from './ssh-connect';
import { describeEndpoint, resolveEndpoint, type EndpointEnvironment } from './ssh-endpoint';
import { execCollect, openExec } from './ssh-exec';
import { logAgentStderr, type AgentChannel, type AgentTarget, type OpenOptions } from './target';

export type SshProfile = Pick<
  Cluster,
  'host' | 'port' | 'user' | 'identityFile' | 'knownHostsFile' | 'proxyJump' | 'setup' | 'node' | 'workdir'
>;

export interface SshTargetOptions extends SshConnectOptions {
  profile: SshProfile;
  /** The local dist/agent.js. */
  agentPath: string;
  environment?: EndpointEnvironment;
  /** Limit for the probe (setup lines, node check, hashing). */
  probeTimeoutMs?: number;
}

/** The agent on a cluster over SSH: one SSH connection, kept while it lives, one exec channel per agent. */
export class SshTarget implements AgentTarget {
  readonly canReinstall = true;
  private session: SshSession | undefined;
  private connecting: Promise<SshSession> | undefined;
  /** The work directory as the cluster's shell resolved it in the last probe. */
  private workdir: string | undefined;

  constructor(private readonly opts: SshTargetOptions) {}

  get label(): string {
    const p = this.opts.profile;
    return `ssh ${p.user ? `${p.user}@` : ''}${p.host}${p.port ? `:${p.port}` : ''}`;
  }

  /** The local TCP port of the live SSH connection (diagnostics: it names the server's session process). */
  get localPort(): number | undefined {
    const sock = (this.session?.client as unknown as { _sock?: { localPort?: number } } | undefined)?._sock;
    return sock?.localPort;
  }

  async open(options: OpenOptions = {}): Promise<AgentChannel> {
    const log = this.opts.log ?? (() => {});
    const session = await this.ensureSession();
    const where = describeEndpoint(session.endpoint);
    const rt: RemoteRuntime = {
      setup: this.opts.profile.setup ?? [],
      node: this.opts.profile.node ?? 'node',
      workdir: this.opts.profile.workdir,
    };
    const bundle = loadAgentBundle(this.opts.agentPath);
    log(`${where}: running the setup lines and checking node`);
    const res = await execCollect(
      session.client,
      probeScript(rt, bundle.fileName),
      this.opts.probeTimeoutMs ?? 60_000,
      where,
    );
    const probe = parseProbe(res.stdout, res.stderr, rt, where);
    for (const f of probe.setupFailures) log(`${where}: warning: setup ${f}`);
    log(`${where}: node ${probe.nodeVersion} at ${probe.nodePath}; work directory ${probe.workdir}`);
    this.workdir = probe.workdir;
    const upload = await ensureAgentUploaded(
      session.client,
      bundle,
      probe.workdir,
      probe.agentHash,
      options.forceUpload,
    );
    log(
      upload.uploaded
        ? `${where}: uploaded the agent to ${upload.remotePath}`
        : `${where}: the agent is already at ${upload.remotePath}`,
    );
    const stream = await openExec(session.client, serveScript(rt, upload.remotePath, probe.workdir));
    const lastWords = logAgentStderr(stream.stderr, log, `agent@${session.endpoint.label}: `);
    const closed = new Promise<string>((resolve) => {
      stream.on('close', (code: number | null, signal?: string) => {
        const how = signal
          ? `signal ${signal}`
          : code === null || code === undefined
            ? 'the channel closed'
            : `exit code ${code}`;
        resolve(`the agent on ${where} ended (${how})${lastWords()}`);
      });
      void session.closed.then(resolve);
    });
    return {
      readable: stream,
      writable: stream,
      closed,
      close: () => stream.close(),
      description: `${where}, node ${probe.nodeVersion}, agent ${upload.remotePath}`,
      uploaded: upload.uploaded,
    };
  }

  async putDatasetFile(
    localFile: string,
    file: StagedFile,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ remotePath: string; uploaded: boolean }> {
    if (!this.workdir) throw new ConnectionError('upload', `connect to ${this.label} before uploading datasets`);
    const session = await this.ensureSession();
    return ensureDatasetUploaded(session.client, localFile, this.workdir, file, onProgress);
  }

  dispose(): void {
    this.session?.close();
    this.session = undefined;
  }

  private ensureSession(): Promise<SshSession> {
    if (this.session) return Promise.resolve(this.session);
    if (this.connecting) return this.connecting;
    const endpoint = resolveEndpoint(this.opts.profile, this.opts.environment);
    this.connecting = openSsh(endpoint, this.opts).then(
      (s) => {
        this.session = s;
        this.connecting = undefined;
        void s.closed.then((reason) => {
          this.opts.log?.(`${describeEndpoint(endpoint)}: ${reason}`);
          if (this.session === s) this.session = undefined;
        });
        return s;
      },
      (e: unknown) => {
        this.connecting = undefined;
        throw e;
      },
    );
    return this.connecting;
  }
}
