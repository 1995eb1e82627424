import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Sandbox } from '../../../../../remote-agent/scoring/sandbox/sandbox';
import type { SandboxJob } from '../../../../../remote-agent/scoring/sandbox/sandbox-job';

const job = (solution: string, test = 'assert True\n'): SandboxJob => ({
  solution: [['solution.py', solution]],
  tests: [['test.py', test]],
});

/** Sandbox processes still alive: their command line names the sandbox root. */
function processesUnder(root: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,stat,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(root) && !l.includes(' ps '));
}

/** The sandbox's launchers: the test process's own children that name the sandbox root. */
function launchers(root: string): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  return rows.filter((r) => Number(r[1]) === process.pid && r.join(' ').includes(root)).map((r) => Number(r[0]));
}

describe('code sandbox: hostile code is contained and the verdict says why', () => {
  let sb: Sandbox;
  let idle = 0;
  let scratch: string;
  before(() => {
    sb = new Sandbox({ workers: 2, limits: { timeoutS: 1, wallS: 4 } });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-host-'));
  });
  after(async () => {
    await sb.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('runs a correct program in an isolated network namespace when the system allows it', async () => {
    const r = await sb.run(
      job(
        'import socket\nprint(sorted(n for _, n in socket.if_nameindex()))\ndef f(x): return x + 1\n',
        'assert f(1) == 2\n',
      ),
    );
    assert.equal(r.verdict, 'pass', r.reason);
    // What an idle sandbox runs, once every launcher is up: each later test must come back to exactly this, whatever its samples started.
    await sb.started();
    idle = processesUnder(sb.root).length;
    const info = sb.info()!;
    if (info.mode === 'namespaces') assert.match(r.output ?? '', /\['lo'\]/);
    else assert.match(info.note, /network not isolated/);
  });

  it('an infinite loop is stopped by the CPU-time limit, a sleeping one by the wall clock; nothing is left running', async () => {
    const [spin, sleep] = await Promise.all([
      sb.run(job('while True:\n    pass\n')),
      sb.run(job('import time\ntime.sleep(60)\n')),
    ]);
    assert.equal(spin.verdict, 'fail');
    assert.match(spin.reason, /^timeout after \d+ s/);
    assert.equal(sleep.verdict, 'fail');
    assert.match(sleep.reason, /^timeout after 4 s \(wall clock\)/);
    assert.equal(processesUnder(sb.root).length, idle, processesUnder(sb.root).join('\n'));
  });

  it('a fork bomb is refused (os.fork, subprocess and multiprocessing alike) and leaves no processes', async () => {
    const bomb = await sb.run(job('import os\nwhile True:\n    os.fork()\n'));
    assert.deepEqual([bomb.verdict, bomb.reason], ['fail', 'blocked by the sandbox: os.fork (in solution line 3)']);
    const sub = await sb.run(job('import subprocess\nsubprocess.run(["sh", "-c", ":(){ :|:& };:"])\n'));
    assert.match(sub.reason, /^blocked by the sandbox: import of _posixsubprocess/);
    const mp = await sb.run(job('import multiprocessing\np = multiprocessing.Process(target=print)\np.start()\n'));
    assert.match(mp.reason, /^blocked by the sandbox/);
    assert.equal(processesUnder(sb.root).length, idle, processesUnder(sb.root).join('\n'));
  });

  it('a memory hog is stopped by the address-space limit', async () => {
    const big = await sb.run(job('x = bytearray(64 * 1024 ** 3)\n'));
    assert.deepEqual([big.verdict, big.reason], ['fail', 'killed: memory limit (2048 MB)']);
    const small = new Sandbox({ workers: 1, limits: { memoryMb: 256, timeoutS: 5 } });
    try {
      const grow = await small.run(job('chunks = []\nwhile True:\n    chunks.append(b"x" * 2 ** 20)\n'));
      assert.deepEqual([grow.verdict, grow.reason], ['fail', 'killed: memory limit (256 MB)']);
    } finally {
      await small.close();
    }
  });

  it('a 1 GB print is cut at the output limit without reaching the host', async () => {
    const r = await sb.run(job('chunk = "x" * 2 ** 20\nfor _ in range(1024):\n    print(chunk)\n'));
    assert.deepEqual([r.verdict, r.reason], ['fail', 'killed: output limit (16 MB)']);
    assert.ok((r.outputBytes ?? 0) <= 16 * 2 ** 20);
    assert.ok((r.output ?? '').length <= 2000);
  });

  it('a socket connect is refused and the listening host sees no connection', async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await sb.run(
        job(`import socket\ns = socket.socket()\ns.connect(("127.0.0.1", ${port}))\ns.send(b"hi")\n`),
      );
      assert.deepEqual(
        [r.verdict, r.reason],
        ['fail', 'blocked by the sandbox: network access (socket.connect) (in solution line 3)'],
      );
      const dns = await sb.run(job('import urllib.request\nurllib.request.urlopen("http://example.com", timeout=2)\n'));
      assert.match(dns.reason, /^blocked by the sandbox: network access/);
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });

  it('writing or deleting outside its directory is refused; inside it is allowed; the directory is removed afterwards', async () => {
    const victim = path.join(scratch, 'keep.txt');
    fs.writeFileSync(victim, 'precious');
    const target = path.join(scratch, 'escape.txt');
    const write = await sb.run(job(`open(${JSON.stringify(target)}, "w").write("x")\n`));
    assert.match(write.reason, /^blocked by the sandbox: writing outside its directory/);
    const del = await sb.run(job(`import os\nos.remove(${JSON.stringify(victim)})\n`));
    assert.match(del.reason, /^blocked by the sandbox: os\.remove outside its directory/);
    const inside = await sb.run(
      job(
        'import os\nopen("notes.txt", "w").write("ok")\nos.makedirs("sub/dir")\ndef f(): return open("notes.txt").read()\n',
        'assert f() == "ok"\n',
      ),
    );
    assert.equal(inside.verdict, 'pass', inside.reason);
    assert.equal(fs.existsSync(target), false);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.deepEqual(
      fs.readdirSync(sb.root).filter((n) => /^s\d+$/.test(n)),
      [],
    );
  });

  it('with namespaces the kernel itself keeps a sample to its own fresh directory: root read-only, no capability, no earlier sample mounted', async (t) => {
    await sb.started();
    if (sb.info()?.mode !== 'namespaces') return t.skip('no namespaces on this machine');
    const look = job(
      'import os\nrows = [l.split() for l in open("/proc/self/mountinfo")]\nprint(sorted((r[4], r[5].split(",")[0]) for r in rows if "evalbench-sandbox-" in r[4]))\nprint(os.getcwd())\nprint(open("/proc/self/status").read().split("CapEff:")[1].split()[0])\n',
    );
    const first = await sb.run(look);
    const second = await sb.run(look);
    for (const r of [first, second]) {
      assert.equal(r.verdict, 'pass', r.reason);
      const [mounts, cwd, caps] = (r.output ?? '').trim().split('\n');
      assert.match(cwd!, /\/s\d+$/);
      assert.equal(mounts, `[('${sb.root}', 'ro'), ('${cwd}', 'rw')]`);
      assert.equal(caps, '0000000000000000');
    }
    assert.notEqual(first.output, second.output);
  });

  it('os.kill of its parent is refused; the sandbox keeps working', async () => {
    const r = await sb.run(job('import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n'));
    assert.deepEqual([r.verdict, r.reason], ['fail', 'blocked by the sandbox: os.kill (in solution line 2)']);
    const pidfd = await sb.run(
      job('import os, signal\nsignal.pidfd_send_signal(os.pidfd_open(os.getppid()), signal.SIGKILL)\n'),
    );
    assert.match(pidfd.reason, /^blocked by the sandbox: signalling other processes/);
    const next = await sb.run(job('def f(): return 1\n', 'assert f() == 1\n'));
    assert.equal(next.verdict, 'pass', next.reason);
  });

  it('ctypes (a way around the audit hook) is unavailable, and exiting early is never a pass', async () => {
    assert.match((await sb.run(job('import ctypes\n'))).reason, /^blocked by the sandbox: import of ctypes/);
    assert.deepEqual(await sb.run(job('import os\nos._exit(0)\n')).then((r) => [r.verdict, r.reason]), [
      'fail',
      'exited with code 0 before the tests finished',
    ]);
  });

  it('a stopped launcher is killed and replaced: its sample errors, the next one is scored', async () => {
    const quick = new Sandbox({ workers: 1, limits: { timeoutS: 1, wallS: 2, graceS: 1 } });
    try {
      assert.equal((await quick.run(job('def f(): return 1\n', 'assert f() == 1\n'))).verdict, 'pass');
      const [launcher] = launchers(quick.root);
      assert.ok(launcher, 'the launcher is a child of the agent');
      const pending = quick.run(job('import time\ntime.sleep(1)\ndef f(): return 1\n', 'assert f() == 1\n'));
      process.kill(launcher, 'SIGSTOP');
      assert.deepEqual(await pending, { verdict: 'error', reason: 'sandbox worker stopped responding' });
      const next = await quick.run(job('def f(): return 2\n', 'assert f() == 2\n'));
      assert.equal(next.verdict, 'pass', next.reason);
      assert.ok(!launchers(quick.root).includes(launcher));
    } finally {
      await quick.close();
    }
  });

  it('several launchers start from one interpreter the agent spawns; once closed, no process of the sandbox is left', async () => {
    const many = new Sandbox({ workers: 3 });
    try {
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => many.run(job(`def f(): return ${i}\n`, `assert f() == ${i}\n`))),
      );
      assert.deepEqual(
        results.map((r) => r.verdict),
        Array(6).fill('pass'),
      );
      await many.started();
      assert.equal(launchers(many.root).length, 1, processesUnder(many.root).join('\n'));
    } finally {
      await many.close();
    }
    assert.deepEqual(processesUnder(many.root), []);
  });

  it(
    'as root, a Python that an unprivileged uid cannot run is refused with the reason, never run as root',
    { skip: process.getuid?.() !== 0 && 'needs root' },
    async () => {
      const hidden = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-private-python-'));
      fs.chmodSync(hidden, 0o700);
      const python = path.join(hidden, 'python3');
      fs.copyFileSync(fs.realpathSync('/usr/bin/python3'), python);
      fs.chmodSync(python, 0o700);
      const private_ = new Sandbox({ python, workers: 1 });
      try {
        const r = await private_.run(job('def f(): return 1\n', 'assert f() == 1\n'));
        assert.equal(r.verdict, 'error');
        assert.match(
          r.reason,
          /^sandbox failure: samples never run as root, and the sandbox's Python .*python3 cannot run as the unprivileged uid 65534 \(nobody\)/,
        );
      } finally {
        await private_.close();
        fs.rmSync(hidden, { recursive: true, force: true });
      }
    },
  );
});
