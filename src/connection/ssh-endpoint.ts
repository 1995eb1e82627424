import * as os from 'os';
import * as path from 'path';
import type { Cluster } from '../../common/catalog/cluster';
import { ConnectionError } from './errors';
import { expandTilde, parseJumpSpec, resolveSshHost, type ParsedSshConfig } from './ssh-config';
import { loadSshConfig } from './ssh-config-load';

/** Everything needed to open one SSH connection, after the profile and ~/.ssh/config are combined. */
export interface SshEndpoint {
  /** How the user named it (alias or host), for messages. */
  label: string;
  host: string;
  port: number;
  user: string;
  /** Key files to try, in order (they may not exist). */
  identityFiles: string[];
  /** ssh-agent socket; undefined: none. */
  agentSocket?: string;
  /** known_hosts files to check, in order; new keys are recorded in the first. */
  knownHostsFiles: string[];
  jump?: SshEndpoint;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Notes worth logging (unsupported ssh config keywords, config problems). */
  warnings: string[];
}

export interface EndpointEnvironment {
  home?: string;
  localUser?: string;
  /** Environment to read SSH_AUTH_SOCK from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Parsed ssh config (default: ~/.ssh/config of `home`). */
  sshConfig?: ParsedSshConfig;
  /** known_hosts files that are checked but never written (default /etc/ssh/ssh_known_hosts). */
  globalKnownHostsFiles?: string[];
}

type SshProfile = Pick<Cluster, 'host' | 'port' | 'user' | 'identityFile' | 'knownHostsFile' | 'proxyJump'>;

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function describeEndpoint(e: Pick<SshEndpoint, 'user' | 'host' | 'port'>): string {
  return `${e.user}@${e.host}:${e.port}`;
}

/** Combines a cluster profile with ~/.ssh/config: the profile's own fields win over the config's. */
export function resolveEndpoint(profile: SshProfile, envIn: EndpointEnvironment = {}): SshEndpoint {
  if (!profile.host)
    throw new ConnectionError('config', 'the cluster profile has no "host": it is a local profile, not an SSH one');
  const home = envIn.home ?? os.homedir();
  const localUser = envIn.localUser ?? safeUser();
  const env = envIn.env ?? process.env;
  const config = envIn.sshConfig ?? loadSshConfig(undefined, home);
  const warnings = config.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  const endpoint = resolveOne(profile.host, profile, {
    home,
    localUser,
    env,
    config,
    warnings,
    globals: envIn.globalKnownHostsFiles,
  });
  // The jump host is checked against the same known_hosts and offered the profile's key too (usually the same).
  const jumpSpec = profile.proxyJump ?? endpoint.configJump;
  if (jumpSpec) {
    let jump: ReturnType<typeof parseJumpSpec>;
    try {
      jump = parseJumpSpec(jumpSpec);
    } catch (e) {
      throw new ConnectionError('config', (e as Error).message);
    }
    const jumpEndpoint = resolveOne(
      jump.host,
      { port: jump.port, user: jump.user, identityFile: profile.identityFile, knownHostsFile: profile.knownHostsFile },
      { home, localUser, env, config, warnings, globals: envIn.globalKnownHostsFiles },
    );
    if (jumpEndpoint.configJump)
      warnings.push(
        `the jump host ${jump.host} has its own ProxyJump (${jumpEndpoint.configJump}); only one jump is supported, it is ignored`,
      );
    endpoint.result.jump = jumpEndpoint.result;
  }
  endpoint.result.warnings = warnings;
  return endpoint.result;
}

interface ResolveContext {
  home: string;
  localUser: string;
  env: NodeJS.ProcessEnv;
  config: ParsedSshConfig;
  warnings: string[];
  globals?: string[];
}

function resolveOne(
  alias: string,
  profile: Omit<SshProfile, 'host' | 'proxyJump'>,
  ctx: ResolveContext,
): { result: SshEndpoint; configJump?: string } {
  const c = resolveSshHost(ctx.config, alias, { home: ctx.home, localUser: ctx.localUser });
  for (const u of c.unsupported)
    ctx.warnings.push(`~/.ssh/config for ${alias}: ${u} is not supported by evalbench and is ignored`);
  const explicit = [...(profile.identityFile ? [expandTilde(profile.identityFile, ctx.home)] : []), ...c.identityFiles];
  const defaults = DEFAULT_KEYS.map((k) => path.join(ctx.home, '.ssh', k));
  // Like ssh, default keys are tried after configured ones unless IdentitiesOnly; a profile key alone is precise.
  const identityFiles =
    profile.identityFile || c.identitiesOnly
      ? explicit
      : [...explicit, ...defaults.filter((d) => !explicit.includes(d))];
  const agentSocket = c.identityAgent === '' ? undefined : (c.identityAgent ?? (ctx.env.SSH_AUTH_SOCK || undefined));
  const userFiles = profile.knownHostsFile
    ? [expandTilde(profile.knownHostsFile, ctx.home)]
    : c.userKnownHostsFiles.length
      ? c.userKnownHostsFiles
      : [path.join(ctx.home, '.ssh', 'known_hosts')];
  const keepaliveS = c.serverAliveIntervalS && c.serverAliveIntervalS > 0 ? c.serverAliveIntervalS : 15;
  return {
    result: {
      label: alias,
      host: c.hostName,
      port: profile.port ?? c.port,
      user: profile.user ?? c.user ?? ctx.localUser,
      identityFiles: [...new Set(identityFiles)],
      agentSocket,
      knownHostsFiles: [...userFiles, ...(ctx.globals ?? ['/etc/ssh/ssh_known_hosts'])],
      readyTimeoutMs: (c.connectTimeoutS ?? 20) * 1000,
      keepaliveIntervalMs: keepaliveS * 1000,
      keepaliveCountMax: c.serverAliveCountMax ?? 3,
      warnings: [],
    },
    configJump: c.proxyJump,
  };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
