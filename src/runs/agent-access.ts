import * as path from 'path';
import type { z } from 'zod';
import type { Cluster } from '../../common/catalog/cluster';
import type { StagedFile } from '../../common/run/dataset-files';
import type { MethodSpec } from '../../common/protocol/method';
import type { CallOptions } from '../connection/agent-client';
import { AgentConnection } from '../connection/agent-connection';
import { createTarget } from '../connection/create-target';
import type { RunWatch, WatchedEvent, WatchOptions } from '../connection/run-watch';

/** What runs and panels need of one cluster profile's agent; AgentConnection has this shape. */
export interface AgentAccess {
  readonly clusterId: string;
  call<P extends z.ZodType, R extends z.ZodType>(
    spec: MethodSpec<P, R>,
    params: z.input<P>,
    options?: CallOptions,
  ): Promise<z.output<R>>;
  watch(
    runId: string,
    fromOffset: number,
    onEvents: (events: WatchedEvent[], next: number) => void | Promise<void>,
    options?: WatchOptions,
  ): RunWatch;
  /** Whether a connection is up now (listing runs of clusters not connected would open SSH sessions unasked). */
  readonly isConnected: boolean;
  /** Uploads (or copies) a workspace dataset file by hash into the work directory, connecting first. */
  putDatasetFile(
    localFile: string,
    file: StagedFile,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ remotePath: string; uploaded: boolean }>;
}

export interface AgentProvider {
  /** The agent of a cluster profile; connects lazily, on the first call. */
  get(clusterId: string, profile: Cluster): AgentAccess;
  dispose(): void;
}

/** The built-in profile for "this machine" when the catalog has none without a host. */
export const BUILTIN_LOCAL_ID = 'local';

export function builtinLocalProfile(workspaceDir: string): Cluster {
  return {
    kind: 'local',
    workdir: path.join(workspaceDir, '.evalbench-runs'),
    gpusPerNode: 1,
    gpuMemoryGb: 80,
    cpusPerGpu: 8,
    memPerGpuGb: 64,
    timeLimit: '04:00:00',
    setup: [],
    node: 'node',
    description: 'This machine (built in)',
  };
}

/** The connections of the catalog's cluster profiles (the connection layer's registry), and the built-in local one. */
export class FeatureAgents implements AgentProvider {
  private builtin: { key: string; connection: AgentConnection } | undefined;

  constructor(
    private readonly registry: { connection(id: string): AgentConnection },
    private readonly agentPath: string,
    private readonly log: (message: string) => void,
  ) {}

  get(clusterId: string, profile: Cluster): AgentAccess {
    try {
      return access(this.registry.connection(clusterId));
    } catch (e) {
      if (clusterId !== BUILTIN_LOCAL_ID || profile.host) throw e;
    }
    // The catalog has no "local" profile: this machine, as the built-in profile describes it.
    const key = JSON.stringify(profile);
    if (this.builtin?.key !== key) {
      this.builtin?.connection.dispose();
      this.builtin = {
        key,
        connection: new AgentConnection(createTarget(profile, { agentPath: this.agentPath, log: this.log }), {
          clusterId,
          log: this.log,
        }),
      };
    }
    return access(this.builtin.connection);
  }

  dispose(): void {
    this.builtin?.connection.dispose();
    this.builtin = undefined;
  }
}

function access(c: AgentConnection): AgentAccess {
  return {
    clusterId: c.clusterId,
    call: (spec, params, options) => c.call(spec, params, options),
    watch: (runId, from, onEvents, options) => c.watch(runId, from, onEvents, options),
    putDatasetFile: async (localFile, file, onProgress) => {
      await c.connect();
      return c.target.putDatasetFile(localFile, file, onProgress);
    },
    get isConnected() {
      return c.state.kind === 'connected';
    },
  };
}
