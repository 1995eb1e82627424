import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  removeStaleSandboxes,
  SANDBOX_DIR_PREFIX,
  sandboxDirPrefix,
} from '../../../../remote-agent/scoring/stale-sandboxes';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function tmpRoot(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-tmproot-'));
  dirs.push(d);
  return d;
}

function makeDir(root: string, name: string, ageMs = 0): string {
  const d = path.join(root, name);
  fs.mkdirSync(path.join(d, 's1'), { recursive: true });
  fs.writeFileSync(path.join(d, 'launcher.py'), 'print(1)\n');
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(d, t, t);
  return d;
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const TWENTY_MINUTES = 20 * 60_000;

describe('sandbox directories left by killed agents', () => {
  it('removes a root whose owner pid is gone, keeps those of live owners, in use, or recently changed', () => {
    const root = tmpRoot();
    const dead = makeDir(root, `${sandboxDirPrefix(deadPid())}a1`);
    const mine = makeDir(root, `${sandboxDirPrefix()}b2`, TWENTY_MINUTES);
    const init = makeDir(root, `${sandboxDirPrefix(1)}c3`, TWENTY_MINUTES);
    const oldUnowned = makeDir(root, `${SANDBOX_DIR_PREFIX}Xy12Zq`, TWENTY_MINUTES);
    const freshUnowned = makeDir(root, `${SANDBOX_DIR_PREFIX}Fr3shQ`);
    const inUseByCwd = makeDir(root, `${SANDBOX_DIR_PREFIX}Cwd001`, TWENTY_MINUTES);
    const inUseByArgs = makeDir(root, `${SANDBOX_DIR_PREFIX}Arg001`, TWENTY_MINUTES);
    const other = makeDir(root, 'evalbench-other-Old001', TWENTY_MINUTES);
    // A link named like a sandbox must not lead the clean-up into what it points at.
    const target = makeDir(root, 'precious', TWENTY_MINUTES);
    fs.symlinkSync(target, path.join(root, `${SANDBOX_DIR_PREFIX}Link01`));
    const keepAlive = (opts: { cwd?: string; arg?: string }) => {
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...(opts.arg ? [opts.arg] : [])], {
        cwd: opts.cwd,
        stdio: 'ignore',
      });
      children.push(c);
      return c;
    };
    const a = keepAlive({ cwd: path.join(inUseByCwd, 's1') });
    const b = keepAlive({ arg: path.join(inUseByArgs, 'launcher.py') });
    try {
      const r = removeStaleSandboxes({ tmpRoot: root });
      assert.deepEqual(r.removed.sort(), [dead, oldUnowned].sort());
      assert.deepEqual(r.failed, []);
      for (const kept of [mine, init, freshUnowned, inUseByCwd, inUseByArgs, other])
        assert.ok(fs.existsSync(path.join(kept, 'launcher.py')), kept);
      assert.ok(fs.existsSync(path.join(target, 'launcher.py')));
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });

  it('removes the root of a killed agent that its parent has not reaped yet (a zombie owns nothing)', async () => {
    const root = tmpRoot();
    // The forked child exits at once; its parent never waits for it, so it stays a zombie until the parent dies.
    const parent = spawn(
      'python3',
      ['-c', 'import os, sys, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(30)'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(parent);
    const zombie = Number(
      await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString()))),
    );
    const isZombie = () => / Z /.test(fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').replace(/^.*\)/, ')'));
    for (let i = 0; i < 500 && !isZombie(); i++) spawnSync('sleep', ['0.01']);
    assert.ok(isZombie(), 'the child is a zombie');
    const left = makeDir(root, `${sandboxDirPrefix(zombie)}z0mb`);
    const r = removeStaleSandboxes({ tmpRoot: root });
    assert.deepEqual(r.removed, [left]);
    parent.kill('SIGKILL');
  });

  const asRoot = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  it(
    "an unprivileged agent removes only its own stale roots, never another user's",
    { skip: asRoot ? false : 'needs root and setpriv to act as two users' },
    () => {
      const root = tmpRoot();
      fs.chmodSync(root, 0o1777);
      const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
      const rootsOwn = makeDir(root, `${sandboxDirPrefix(deadPid())}r00t`);
      const usersOwn = path.join(root, `${sandboxDirPrefix(deadPid())}us3r`);
      assert.equal(spawnSync('setpriv', [...nobody, 'mkdir', usersOwn]).status, 0);
      const script = `import { removeStaleSandboxes } from ${JSON.stringify(path.join(ROOT, 'remote-agent', 'scoring', 'stale-sandboxes.ts'))}; process.stdout.write(JSON.stringify(removeStaleSandboxes({ tmpRoot: ${JSON.stringify(root)} })));`;
      const file = path.join(root, 'clean.ts');
      fs.writeFileSync(file, script);
      const r = spawnSync('setpriv', [...nobody, process.execPath, '--import', 'tsx', file], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, HOME: root },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { removed: [usersOwn], failed: [] });
      assert.ok(fs.existsSync(path.join(rootsOwn, 'launcher.py')));
    },
  );
});
