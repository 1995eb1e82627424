import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PAYLOADS } from './hostile/payloads';

// Every trick a reward-hacking model used against the code scorer, run through the real scorer and real python3 sandboxes
// in the shapes users have: as root (samples drop to another uid) and as an unprivileged account, each with and without
// namespaces (EVALBENCH_SANDBOX_ISOLATION=none is how a node without user namespaces runs). The agent holds secrets in
// its environment; a loopback listener, a world-writable canary directory and a bystander process of the same user are
// watched from outside.
const SECRET = `hf_${Math.random().toString(36).slice(2)}secret`;
const MARK = `hostile-mark-${process.pid}`;
const DRIVER = path.join(__dirname, 'hostile', 'driver.ts');
const isRoot = process.getuid?.() === 0;

interface Env {
  name: string;
  asTestUser?: boolean;
  isolation: 'auto' | 'none';
}

let listener: net.Server;
let port = 0;
const received: string[] = [];
interface TestUser {
  name: string;
  uid: number;
  gid: number;
}
let user: TestUser | undefined;

function userns(u: TestUser | undefined): boolean {
  const args = u
    ? [
        '--reuid',
        String(u.uid),
        '--regid',
        String(u.gid),
        '--clear-groups',
        'unshare',
        '-r',
        '-n',
        '-p',
        '-f',
        '-m',
        'true',
      ]
    : ['-r', '-n', '-p', '-f', '-m', 'true'];
  return spawnSync(u ? 'setpriv' : 'unshare', args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function environments(): Env[] {
  if (!isRoot)
    return [
      { name: 'this unprivileged user, namespaces where available', isolation: 'auto' },
      { name: 'this unprivileged user, no namespaces', isolation: 'none' },
    ];
  return [
    { name: 'root (samples as another uid), namespaces', isolation: 'auto' },
    { name: 'root (samples as another uid), no namespaces', isolation: 'none' },
    {
      name: 'an unprivileged user created for the test, user namespaces where available',
      isolation: 'auto',
      asTestUser: true,
    },
    { name: 'an unprivileged user created for the test, no namespaces', isolation: 'none', asTestUser: true },
  ];
}

function startAs(u: TestUser | undefined, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const full = u
    ? ['setpriv', '--reuid', String(u.uid), '--regid', String(u.gid), '--clear-groups', cmd, ...args]
    : [cmd, ...args];
  return spawn(full[0]!, full.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Processes whose command line names the sandbox root of this run: launchers and everything forked from them. */
function processesUnder(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,uid,stat,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes(' ps '));
}

describe('code sandbox against a hostile model: no forged pass, no escape, nothing left behind', () => {
  before(async () => {
    listener = net.createServer((s) =>
      s.on('data', (d: Buffer) => received.push(d.toString())).on('error', () => undefined),
    );
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
    if (isRoot) {
      const name = `ebhostile${process.pid}`;
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
      const id = (flag: string): number => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      user = { name, uid: id('-u'), gid: id('-g') };
    }
  });
  after(() => {
    listener.close();
    if (user) spawnSync('userdel', [user.name], { stdio: 'ignore' });
  });

  for (const env of environments()) {
    it(`${env.name}: every attack scores fail or error; no canary, surviving process or leaked secret`, async () => {
      const as = env.asTestUser ? user : undefined;
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-hostile-'));
      const canary = path.join(scratch, 'canary');
      const tmpRoot = path.join(scratch, 'roots');
      fs.mkdirSync(canary);
      fs.mkdirSync(tmpRoot);
      fs.chmodSync(scratch, 0o755);
      fs.chmodSync(canary, 0o1777);
      if (as) fs.chownSync(tmpRoot, as.uid, as.gid);
      const secrets = {
        HF_TOKEN: SECRET,
        SSH_AUTH_SOCK: `/tmp/ssh-${SECRET}/agent.1`,
        HTTPS_PROXY: `http://${SECRET}@proxy:3128`,
      };
      const agentEnv = {
        PATH: process.env.PATH,
        HOME: os.tmpdir(),
        ...secrets,
        ...(env.isolation === 'none' ? { EVALBENCH_SANDBOX_ISOLATION: 'none' } : {}),
      };
      const bystander = startAs(as, 'sleep', ['300'], agentEnv);
      try {
        const driver = startAs(
          as,
          process.execPath,
          ['--import', 'tsx', DRIVER, JSON.stringify({ canary, port, mark: MARK, tmpRoot })],
          agentEnv,
        );
        let out = '';
        let err = '';
        driver.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        driver.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        const code = await new Promise<number | null>((resolve) => driver.on('exit', resolve));
        assert.equal(code, 0, `the agent (driver) must survive and finish: ${err.slice(-2000)}`);
        const lines = out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { payload?: string; verdict?: string; reason?: string; isolation?: string });
        const judged = lines.filter((l) => l.payload && !l.payload.startsWith('after:'));
        assert.deepEqual(judged.map((l) => l.payload).sort(), Object.keys(PAYLOADS).sort());
        const forged = judged.filter((l) => l.verdict === 'pass').map((l) => `${l.payload}: ${l.reason}`);
        assert.deepEqual(forged, [], 'attacks scored as a pass');
        assert.deepEqual(
          lines.filter((l) => l.payload?.startsWith('after:')).map((l) => [l.payload, l.verdict]),
          [
            ['after: correct', 'pass'],
            ['after: wrong', 'fail'],
          ],
        );
        const isolation = lines.find((l) => l.isolation !== undefined)?.isolation ?? '';
        const expectNs = env.isolation === 'auto' && (isRoot && !as ? true : userns(as));
        assert.match(
          isolation,
          expectNs
            ? /^code sandbox: .*namespaces; read-only file system/
            : /^code sandbox: no namespaces on this node \(.+\): network not isolated/,
        );
        assert.deepEqual(fs.readdirSync(canary), [], 'canary files written outside the sandbox');
        assert.ok(
          !out.includes(SECRET) && !received.join('').includes(SECRET),
          'a secret of the agent reached a sample',
        );
        assert.deepEqual(received, [], 'the loopback listener received data');
        assert.deepEqual(processesUnder(tmpRoot), [], 'sandbox processes left running');
        // The driver's TypeScript loader (esbuild) may linger as a zombie of this machine's init; it is not the sandbox's.
        if (as)
          assert.deepEqual(
            execFileSync('ps', ['-u', String(as.uid), '-o', 'pid=,args='], { encoding: 'utf8' })
              .trim()
              .split('\n')
              .filter((l) => !l.includes('sleep 300') && !l.includes('[esbuild] <defunct>')),
            [],
            `processes of ${as.name} left running`,
          );
        assert.equal(bystander.exitCode, null, "a process of the agent's user was killed");
        assert.deepEqual(fs.readdirSync(tmpRoot), [], 'sandbox directories left behind');
      } finally {
        bystander.kill('SIGKILL');
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    });
  }
});
