import fs from 'node:fs';
import path from 'node:path';
import { AgentConnection } from '../../src/connection/agent-connection';
import { SshTarget } from '../../src/connection/ssh-target';
import { AGENT_PATH, hermeticEnvironment, type SshTestServer } from '../../test/integration/helpers/ssh-test-env';

/** OpenSSH's options for the test sshd (scp spelling: -P for the port), host key checked, no prompts. */
export function scpOptions(srv: SshTestServer): string[] {
  return [
    '-i',
    srv.key,
    '-P',
    String(srv.port),
    '-o',
    `UserKnownHostsFile=${srv.knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
  ];
}

/** An agent connection to the test sshd, as the extension makes one for a SLURM profile with this work directory. */
export function benchConnection(srv: SshTestServer, workdir: string, tmp: string): AgentConnection {
  const profile = {
    host: srv.host,
    port: srv.port,
    user: srv.user,
    identityFile: srv.key,
    knownHostsFile: srv.knownHosts,
    setup: [],
    node: 'node',
    workdir,
  };
  // Under tsx the extension's version is the development one; the built agent reports package.json's.
  const clientVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'))
    .version as string;
  return new AgentConnection(new SshTarget({ profile, agentPath: AGENT_PATH, environment: hermeticEnvironment(tmp) }), {
    clusterId: 'bench',
    clientVersion,
  });
}
