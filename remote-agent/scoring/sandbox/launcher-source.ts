import { HOOK } from './hook-source';
import { JAIL } from './jail-source';
import { SYSTEM } from './system-source';
import { TESTER } from './tester-source';
import { WIRE } from './wire-source';

/**
 * The launcher: one long-lived, trusted Python process per parallel slot, started with an empty environment and
 * its source on a pipe (no file a sample could replace). At start it picks the isolation mode: its own user (when
 * not root), mount, network and IPC namespaces with every mount read-only except its sample root; or none, saying
 * why. It forks the test process, then (with namespaces) enters a new PID namespace and forks the zygote (the sample
 * side) as its PID 1, both before any test code arrives; it checks the whole path with one probe sample, then per
 * job: makes the sample's directory and binds it writable into the zygote's mount namespace (with setns: the launcher
 * never forks per sample, so these calls cost it no copy-on-write faults), hands the zygote the sample's code and one end of a socket, the test process
 * the test code and the other end, waits for the verdict on a pipe of its own with a wall-clock limit, has the
 * zygote kill everything the sample started, and answers with one JSON line.
 * argv[1]: JSON {mode: "auto"|"none", root, uid, gid}.
 */
const MAIN = String.raw`
ARGS = json.loads(sys.argv[1])
ROOT, MODE = ARGS['root'], ARGS['mode']
IS_ROOT = os.geteuid() == 0
OWN_UID, OWN_GID = os.geteuid(), os.getegid()
NS, ROOT_FLAGS, LIMITS = False, 0, {}
UID, GID = -1, -1

def setup_namespaces():
    """Raises with the reason when this node cannot give them."""
    global ROOT_FLAGS
    if not IS_ROOT:
        for name, text in (('setgroups', 'deny'), ('uid_map', '0 %d 1' % OWN_UID), ('gid_map', '0 %d 1' % OWN_GID)):
            with open('/proc/self/' + name, 'w') as f: f.write(text)
    mount(None, '/', None, MS_REC | MS_PRIVATE)
    mounts = mountinfo()
    root = os.path.realpath(ROOT)
    best = max((m for m in mounts if root == m[0] or root.startswith(m[0].rstrip('/') + '/')), key=lambda m: len(m[0]))
    ROOT_FLAGS = best[1]
    mount(root, root, None, MS_BIND)
    done = set()
    for point, flags in mounts:
        if point in done or point == root: continue
        done.add(point)
        try:
            mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | flags)
        except OSError as e:
            if e.errno not in (2, 22): raise OSError(e.errno, 'cannot make %s read-only: %s' % (point, e.strerror))

def fork_server(main):
    """A child serving jobs over a Unix socket: (pid, the launcher's end)."""
    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            mine.close()
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            null = os.open('/dev/null', os.O_RDWR)
            os.dup2(null, 0); os.dup2(null, 1)
            main(theirs)
        finally:
            os._exit(70)
    theirs.close()
    return pid, mine

def read_until(fd, deadline):
    """Everything written to fd until EOF, or None when the deadline passes first."""
    buf = b''
    while True:
        left = deadline - time.monotonic()
        if left <= 0: return None
        if not select.select([fd], [], [], left)[0]: continue
        c = os.read(fd, 4096)
        if not c: return buf
        buf += c

class Status:
    def __init__(self, fd): self.fd, self.buf, self.status, self.cpu = fd, b'', None, 0.0
    def poll(self, timeout, until_closed=False):
        """Reads the zygote's report; until_closed waits for it to be done with this sample (it closes the pipe)."""
        end = time.monotonic() + timeout
        while self.status is None or until_closed:
            if not select.select([self.fd], [], [], max(0, end - time.monotonic()))[0]: return False
            c = os.read(self.fd, 256)
            if not c: return True
            self.buf += c
            for line in self.buf.split(b'\n'):
                w = line.split()
                if len(w) == 3 and w[0] == b'status': self.status, self.cpu = int(w[1]), float(w[2])
        return True

def kill_sample(st):
    """The zygote kills the sample and all it started; a root agent without namespaces also kills its slot's uid."""
    if st.status is None:
        try: os.kill(ZYGOTE_PID, signal.SIGUSR1)
        except OSError: pass
    if UID >= 0 and not NS:
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([]); os.setgid(GID); os.setuid(UID)
                for _ in range(10):
                    try: os.kill(-1, signal.SIGKILL)
                    except ProcessLookupError: break
            finally:
                os._exit(0)
        os.waitpid(pid, 0)

def died(st, job):
    s = st.status
    if s is None: return 'the sample\'s process ended before the tests finished'
    if os.WIFSIGNALED(s):
        sig = os.WTERMSIG(s)
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and st.cpu >= job['cpuS']): return 'timeout after %g s (CPU time)' % job['cpuS']
        if sig == signal.SIGXFSZ: return 'killed: output limit (%d MB)' % job['fileMb']
        if sig == signal.SIGKILL: return 'killed: memory limit (SIGKILL from the system)'
        if sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT): return 'crashed: %s' % signal.Signals(sig).name
        return 'killed by %s' % signal.Signals(sig).name
    return 'exited with code %d before the tests finished' % os.WEXITSTATUS(s)

def in_samples_namespace(fn, *args):
    """Runs fn in the zygote's mount namespace (the samples'), then returns to the launcher's own. The launcher never
    forks per sample, so this costs it no copy-on-write faults, where the same calls in each sample would."""
    setns(ZYGOTE_MOUNTS, CLONE_NEWNS)
    try:
        return fn(*args)
    finally:
        setns(OWN_MOUNTS, CLONE_NEWNS)

def expose(d):
    """The sample's fresh directory, writable in the samples' namespace (a bind of the read-only root is read-only
    until remounted). Only one sample of this worker runs at a time, and the mount is detached once it is gone."""
    def bind():
        mount(d, d, None, MS_BIND)
        mount(None, d, None, MS_BIND | MS_REMOUNT | ROOT_FLAGS)
    in_samples_namespace(bind)

def rm(path):
    def onerror(fn, p, exc):
        try:
            os.chmod(os.path.dirname(p), 0o700); os.chmod(p, 0o700); fn(p)
        except OSError:
            pass
    shutil.rmtree(path, onerror=onerror)

def tail(fd, n=2000):
    size = os.fstat(fd).st_size
    return os.pread(fd, n, max(0, size - n)).decode('utf-8', 'replace'), size

TESTER_BUSY = [False]

def run(job):
    if TESTER_BUSY[0]:
        if not select.select([TESTER], [], [], 10)[0] or TESTER.recv(1) != b'.':
            raise SystemExit('the test process is stuck after a sample')
        TESTER_BUSY[0] = False
    d = os.path.join(ROOT, job['name'])
    os.mkdir(d, 0o700)
    out = None
    try:
        if UID >= 0: os.chown(d, UID, GID)
        out = os.open(os.path.join(d, '.output'), os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        if UID >= 0: os.fchown(out, UID, GID)
        t_end, u_end = socket.socketpair()
        st_r, st_w = os.pipe()
        res_r, res_w = os.pipe()
        head = {'dir': d, 'parts': job['solution'], 'cpuS': job['cpuS'], 'memoryMb': job['memoryMb'], 'fileMb': job['fileMb'], 'maxFiles': job['maxFiles']}
        t0 = time.monotonic()
        if NS: expose(d)
        send_with_fds(ZYGOTE, head, [u_end.fileno(), out, st_w])
        send_with_fds(TESTER, job, [t_end.fileno(), res_w])
        u_end.close(); t_end.close(); os.close(st_w); os.close(res_w)
        st = Status(st_r)
        raw = read_until(res_r, t0 + job['wallS'])
        os.close(res_r)
        st.poll(0)
        if raw is None:
            verdict, reason = 'fail', 'timeout after %g s (wall clock)' % job['wallS']
        else:
            line = raw.decode('utf-8', 'replace').split('\n', 1)[0]
            verdict, _, reason = line.partition('\t')
            if verdict not in ('pass', 'fail', 'error'):
                verdict, reason = 'fail', 'the test process ended without a verdict'
            elif reason == 'GONE':
                st.poll(5)
                reason = died(st, job)
        kill_sample(st)
        done = st.poll(10, until_closed=True)
        os.close(st_r)
        # The zygote is done with this sample (everything it started is gone); the test process acknowledges
        # before the next job (see run()). One that does not has to go: the agent starts a new launcher.
        if not done: answer_later.append('the zygote is stuck after a sample')
        elif NS: in_samples_namespace(umount, d)
        TESTER_BUSY[0] = True
        wall = time.monotonic() - t0
        text, size = tail(out)
        return {'verdict': verdict, 'reason': reason, 'output': text, 'outputBytes': size, 'wallMs': round(wall * 1000, 1)}
    finally:
        if out is not None: os.close(out)
        rm(d)

answer_later = []

def answer(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()

missing = []
if MODE == 'none':
    missing.append('namespaces switched off')
else:
    try:
        unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | (0 if IS_ROOT else CLONE_NEWUSER))
    except OSError as e:
        missing.append('no %snamespaces here (unshare: %s)' % ('' if IS_ROOT else 'user ', e.strerror))
    else:
        try:
            setup_namespaces()
        except OSError as e:
            answer({'ready': False, 'error': 'namespaces: %s' % e})
            sys.exit(3)
        NS = True
TESTER_PID, TESTER = fork_server(tester_main)
if NS:
    # From here on, the launcher's children (the zygote, the samples) are in a PID namespace of their own; the
    # test process, forked before, is not.
    unshare(CLONE_NEWPID)
if IS_ROOT:
    UID, GID = (ARGS['uid'], ARGS['gid']) if NS else (ARGS['soloUid'], ARGS['soloUid'])
# Forked children would otherwise let the collector walk (and so copy) every page of this process's objects.
import gc
gc.collect()
gc.freeze()
ZYGOTE_PID, ZYGOTE = fork_server(zygote_main)
if NS:
    OWN_MOUNTS = os.open('/proc/self/ns/mnt', os.O_RDONLY | os.O_CLOEXEC)
    _, (ZYGOTE_MOUNTS,) = recv_with_fds(ZYGOTE)
probe = run({'name': 'probe-%d' % os.getpid(), 'solution': [['solution.py', 'def f():\n    return 1\n']], 'tests': [['test.py', 'assert f() == 1\n']],
             'cpuS': 5, 'wallS': 20, 'memoryMb': 0, 'fileMb': 1, 'maxFiles': 4})
if probe['verdict'] != 'pass' or answer_later:
    answer({'ready': False, 'error': 'the probe sample failed (%s): %s' % (probe['reason'], probe['output'][-300:])})
    sys.exit(3)
answer({'ready': True, 'namespaces': NS, 'missing': missing, 'uid': UID if UID >= 0 else OWN_UID, 'python': sys.version.split()[0]})
for raw in sys.stdin:
    job = None
    try:
        job = json.loads(raw)
        res = run(job)
    except Exception as e:
        res = {'verdict': 'error', 'reason': 'sandbox failure: %s: %s' % (type(e).__name__, e)}
    res['id'] = job.get('id') if isinstance(job, dict) else None
    answer(res)
    if answer_later: sys.exit(4)
# The agent closed stdin: let both servers go, and reap them so no zombie is left to an init that may not reap.
ZYGOTE.close(); TESTER.close()
for pid in (ZYGOTE_PID, TESTER_PID):
    try: os.waitpid(pid, 0)
    except ChildProcessError: pass
`;

/** Everything the launcher defines, without running anything: the launcher pool runs it once for all its launchers. */
export const LAUNCHER_DEFINITIONS = [SYSTEM, WIRE, HOOK, JAIL, TESTER].join('\n');
/** What one launcher runs after the definitions (argv[1]: its arguments). */
export const LAUNCHER_MAIN = MAIN;
export const LAUNCHER = [LAUNCHER_DEFINITIONS, MAIN].join('\n');

/** What `python -c` runs: reads the launcher's source from fd 3 (a pipe from the agent) and executes it. */
export const BOOT =
  "import os\nb=b''\nwhile True:\n c=os.read(3,65536)\n if not c: break\n b+=c\nos.close(3)\nexec(compile(b,'<evalbench-launcher>','exec'))";
