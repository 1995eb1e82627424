import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LockTimeoutError, withFileLock, withFileLockAsync } from '../../../../remote-agent/store/lock';

const HOLDER = path.join(__dirname, 'helpers', 'lock-holder.ts');
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function lockPath(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-lock-'));
  dirs.push(d);
  return path.join(d, 'run.json.lock');
}

function startHolder(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return child;
}

function line(child: ChildProcess, want: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').includes(want)) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before "${want}"; printed: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once('exit', (code) => r(code)));
}

describe('the run lock', () => {
  it('stays with a holder that works far longer than the stale time (it is refreshed while held)', async () => {
    const lock = lockPath();
    const holder = startHolder(['hold', lock, '200']);
    await line(holder, 'held');
    // Seven stale periods of trying: without the heartbeat the lock would look abandoned after the first.
    await assert.rejects(
      withFileLockAsync(lock, async () => 'stolen', { staleMs: 200, timeoutMs: 1400 }),
      LockTimeoutError,
    );
    assert.throws(
      () => withFileLock(lock, () => 'stolen', { staleMs: 200, timeoutMs: 300 }),
      /could not lock .*\(held by pid \d+/,
    );
    const released = line(holder, 'released');
    holder.stdin!.write('go\n');
    await released;
    assert.equal(await exited(holder), 0);
    assert.equal(fs.existsSync(lock), false);
    assert.equal(await withFileLockAsync(lock, async () => 'mine', { staleMs: 200, timeoutMs: 500 }), 'mine');
  });

  it('is taken over at once from a holder on this host that was killed while holding it', async () => {
    const lock = lockPath();
    const holder = startHolder(['hold', lock, '30000']);
    await line(holder, 'held');
    holder.kill('SIGKILL');
    await exited(holder);
    assert.ok(fs.existsSync(lock), 'the killed holder left its lock behind');
    // Far below the 30 s stale time: the holder's pid is gone, so nothing needs to wait that long.
    assert.equal(await withFileLockAsync(lock, async () => 'mine', { timeoutMs: 3000 }), 'mine');
    assert.equal(fs.existsSync(lock), false);
  });

  it('a lock of another host counts as abandoned only once it stopped changing, whatever its mtime says (NFS clock skew)', async () => {
    const lock = lockPath();
    fs.writeFileSync(lock, '4242\nanother-node\nfeedfacefeedface\n');
    // That host's clock is an hour behind ours: every refresh it makes looks an hour old here.
    let beat = 0;
    const refresh = setInterval(() => {
      const t = new Date(Date.now() - 3_600_000 + beat++);
      fs.utimesSync(lock, t, t);
    }, 40);
    try {
      await assert.rejects(
        withFileLockAsync(lock, async () => 'stolen', { staleMs: 250, timeoutMs: 1200 }),
        LockTimeoutError,
      );
    } finally {
      clearInterval(refresh);
    }
    // Its holder stopped refreshing (died): after the stale time of seeing no change, the lock is broken.
    assert.equal(await withFileLockAsync(lock, async () => 'mine', { staleMs: 250, timeoutMs: 3000 }), 'mine');
  });

  it('lets only one process at a time read-modify-write a file', async () => {
    const lock = lockPath();
    const counter = path.join(path.dirname(lock), 'counter');
    fs.writeFileSync(counter, '0');
    const workers = [startHolder(['count', lock, counter, '100']), startHolder(['count', lock, counter, '100'])];
    assert.deepEqual(await Promise.all(workers.map(exited)), [0, 0]);
    assert.equal(fs.readFileSync(counter, 'utf8'), '200');
  });

  it('never removes, on release, a lock that another process took over meanwhile', async () => {
    const lock = lockPath();
    const theirs = '4242\nanother-node\nbeefbeefbeefbeef\n';
    const warnings: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (warnings.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      await withFileLockAsync(lock, async () => fs.writeFileSync(lock, theirs));
    } finally {
      process.stderr.write = write;
    }
    assert.equal(fs.readFileSync(lock, 'utf8'), theirs);
    assert.match(warnings.join(''), /was taken over by another process while held/);
    fs.rmSync(lock);
    withFileLock(lock, () => fs.writeFileSync(lock, theirs));
    assert.equal(fs.readFileSync(lock, 'utf8'), theirs);
  });
});
