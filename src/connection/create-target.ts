import type { Cluster } from '../../common/catalog/cluster';
import { LocalTarget } from './local-target';
import type { PassphraseSource } from './ssh-auth';
import type { HostTrustRequest } from './ssh-connect';
import type { EndpointEnvironment } from './ssh-endpoint';
import { SshTarget } from './ssh-target';
import type { AgentTarget, Logger } from './target';

export interface TargetDependencies {
  /** The local dist/agent.js. */
  agentPath: string;
  log?: Logger;
  passphrases?: PassphraseSource;
  trustHost?: (request: HostTrustRequest) => Promise<boolean>;
  environment?: EndpointEnvironment;
  /** What a local profile's relative work directory is relative to (its workspace folder). */
  baseDir?: string;
}

/** A profile with a `host` is reached over SSH; one without runs the agent on this machine. */
export function createTarget(profile: Cluster, deps: TargetDependencies): AgentTarget {
  if (profile.host) {
    return new SshTarget({
      profile,
      agentPath: deps.agentPath,
      log: deps.log,
      passphrases: deps.passphrases,
      trustHost: deps.trustHost,
      environment: deps.environment,
    });
  }
  return new LocalTarget({ profile, agentPath: deps.agentPath, log: deps.log, baseDir: deps.baseDir });
}
