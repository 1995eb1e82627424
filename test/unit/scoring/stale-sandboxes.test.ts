import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { removeStaleSandboxes, SANDBOX_DIR_PREFIX, sandboxDirPrefix } from '../../../remote-agent/scoring/stale-sandboxes';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'workspace');
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

/** Processes whose command line names the directory (a launcher or a sample of that sandbox). */
function usersOf(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir));
}

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const TWENTY_MINUTES = 20 * 60_000;

describe('sandbox directories left by killed agents', () => {
  it('an agent killed while scoring leaves its sandbox behind; the next agent start removes it', async () => {
    const tmp = tmpRoot();
    const preds = path.join(tmp, 'preds.jsonl');
    const slow = '    import time\n    time.sleep(2)\n    return 0\n';
    fs.writeFileSync(preds, [0, 1, 2, 3, 4].map((i) => JSON.stringify({ id: `evalbench-example/${i}`, output: slow })).join('\n') + '\n');
    const scorer = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'remote-agent', 'main.ts'), 'score', '--workspace', EXAMPLE, '--dataset', 'humaneval', '--predictions', preds], { env: { ...process.env, TMPDIR: tmp }, detached: true, stdio: 'ignore' });
    children.push(scorer);
    const left = await until(() => fs.readdirSync(tmp).find((n) => n.startsWith(SANDBOX_DIR_PREFIX) && fs.readdirSync(path.join(tmp, n)).length > 2), 60_000, 'the scorer to run samples');
    // What a job's time limit or a lost node does: the whole process group, at once, no chance to clean up.
    process.kill(-scorer.pid!, 'SIGKILL');
    const sandbox = path.join(tmp, left);
    await until(() => (usersOf(sandbox).length === 0 ? true : undefined), 30_000, 'the killed scorer and its samples to be gone');
    assert.ok(fs.existsSync(sandbox), 'the killed agent left its sandbox directory');
    const t = new Date(Date.now() - TWENTY_MINUTES);
    fs.utimesSync(sandbox, t, t);
    const serve = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'remote-agent', 'main.ts'), 'serve', '--workdir', path.join(tmp, 'wd')], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
    assert.equal(serve.status, 0, serve.stderr);
    assert.match(serve.stderr, /removed 1 sandbox directory left by killed agents/);
    assert.equal(fs.existsSync(sandbox), false);
  });

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
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...(opts.arg ? [opts.arg] : [])], { cwd: opts.cwd, stdio: 'ignore' });
      children.push(c);
      return c;
    };
    const a = keepAlive({ cwd: path.join(inUseByCwd, 's1') });
    const b = keepAlive({ arg: path.join(inUseByArgs, 'launcher.py') });
    try {
      const r = removeStaleSandboxes({ tmpRoot: root });
      assert.deepEqual(r.removed.sort(), [dead, oldUnowned].sort());
      assert.deepEqual(r.failed, []);
      for (const kept of [mine, init, freshUnowned, inUseByCwd, inUseByArgs, other]) assert.ok(fs.existsSync(path.join(kept, 'launcher.py')), kept);
      assert.ok(fs.existsSync(path.join(target, 'launcher.py')));
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });
});
