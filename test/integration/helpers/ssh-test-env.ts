import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EndpointEnvironment } from '../../../src/connection/ssh-endpoint';

/** The test sshd started by test/infra/start-cluster.sh, described by its exported variables. */
export interface SshTestServer {
  host: string;
  port: number;
  user: string;
  key: string;
  knownHosts: string;
  hostPublicKey: string;
  hostSha256: string;
}

const VARS = [
  'SSH_TEST_HOST',
  'SSH_TEST_PORT',
  'SSH_TEST_USER',
  'SSH_TEST_KEY',
  'SSH_TEST_KNOWN_HOSTS',
  'SSH_TEST_HOST_PUBKEY',
  'SSH_TEST_HOST_SHA256',
] as const;

/**
 * The test sshd, logging in as the unprivileged account start-cluster.sh made (SSH_TEST_USERS, as users are on a
 * real cluster) when there is one, else as SSH_TEST_USER (root).
 */
export function sshTestServer(): SshTestServer | undefined {
  const root = rootSshTestServer();
  const user = process.env.SSH_TEST_USERS?.split(/\s+/).find(Boolean);
  return root && user ? { ...root, user } : root;
}

/** The test sshd as root: the one root case a suite keeps. */
export function rootSshTestServer(): SshTestServer | undefined {
  const e = process.env;
  if (VARS.some((v) => !e[v])) return undefined;
  return {
    host: e.SSH_TEST_HOST!,
    port: Number(e.SSH_TEST_PORT),
    user: e.SSH_TEST_USER!,
    key: e.SSH_TEST_KEY!,
    knownHosts: e.SSH_TEST_KNOWN_HOSTS!,
    hostPublicKey: e.SSH_TEST_HOST_PUBKEY!,
    hostSha256: e.SSH_TEST_HOST_SHA256!,
  };
}

/** The reason to skip, or false: integration tests need the test sshd (test/run-all.sh starts it). */
export const SKIP_WITHOUT_SSHD: string | false = sshTestServer()
  ? false
  : `no test sshd: ${VARS.filter((v) => !process.env[v]).join(', ')} not set (run test/run-all.sh, or eval the output of test/infra/start-cluster.sh)`;

/** An environment that ignores the developer's own ~/.ssh, agent and /etc/ssh: only what a test gives counts. */
export function hermeticEnvironment(home: string, extra: Partial<EndpointEnvironment> = {}): EndpointEnvironment {
  return {
    home,
    localUser: 'nobody',
    env: {},
    sshConfig: { entries: [], problems: [] },
    globalKnownHostsFiles: [],
    ...extra,
  };
}

/**
 * Gives a directory of this (root) test process to the account the SSH tests log in as, as a real user's own work
 * directory is theirs: owner changed recursively; the directories above stay as they are. A no-op for root.
 */
export function giveToUser(dir: string, user: string): string {
  if (user === 'root' || user === os.userInfo().username) return dir;
  execFileSync('chown', ['-R', `${user}:`, dir]);
  return dir;
}

/** uid of an account of this machine. */
export function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

export const AGENT_PATH = path.resolve(__dirname, '../../../dist/agent.js');

/**
 * Kills the server side of one SSH connection: the sshd processes holding the TCP connection whose client end
 * is `localPort` (this test's own session; other sessions on the shared sshd are untouched).
 */
export function killSshSession(serverPort: number, localPort: number): number[] {
  const out = execFileSync(
    'ss',
    ['-tnpH', 'state', 'established', `( sport = :${serverPort} and dport = :${localPort} )`],
    { encoding: 'utf8' },
  );
  const pids = [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
  if (pids.length === 0) throw new Error(`no sshd process holds the connection from port ${localPort}: ${out}`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      // For a user other than root, sshd's privileged monitor and the user's child both hold the socket: killing
      // the monitor ends the child too.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  return pids;
}

/** Polls `condition` until it holds or the deadline passes. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
