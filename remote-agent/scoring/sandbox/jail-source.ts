/**
 * Python for the untrusted side. The zygote is forked from the launcher before any job arrives, so test code never
 * enters its memory. With namespaces it is PID 1 of the worker's PID namespace, with its own /proc; per sample it
 * forks the sample, waits for it, then kills everything else in the namespace: nothing a sample started outlives it,
 * and a sample's kill(-1) reaches only its own processes. The zygote's mount namespace is the samples': every mount
 * read-only but the directory of the sample that runs (the launcher binds it in, and detaches it after). In a user
 * namespace the zygote drops every capability before its first sample. Everything that does not depend on the
 * sample (environment, stdio objects, the modules solutions import) is made once in the zygote: each page a forked
 * sample writes is a copy-on-write fault. The sample drops to an unprivileged uid (root agent), lowers its rlimits,
 * installs the audit hook, runs the model's code and then only answers calls of the names it defined. It holds no
 * verdict channel: its socket leads to the test process, which decides.
 * Needs from the launcher: NS, UID, GID, ROOT, ROOT_FLAGS, libc helpers (mount, unshare, prctl, drop_bounding_set, drop_caps), send_with_fds.
 */
export const JAIL = String.raw`
def zygote_main(sock):
    """Forks each sample, waits for it, then kills whatever it left (with namespaces: everything else in the PID namespace)."""
    global CURRENT
    CURRENT = None
    prctl(PR_SET_DUMPABLE, 0)
    if NS:
        # The samples' mount namespace: the sample root read-only; the launcher binds each sample's fresh directory
        # read-write into it (and detaches it after), so a sample needs no mount of its own and no privilege.
        unshare(CLONE_NEWNS)
        mount('proc', '/proc', 'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC)
        mount(None, ROOT, None, MS_BIND | MS_REMOUNT | MS_RDONLY | ROOT_FLAGS)
        ns = os.open('/proc/self/ns/mnt', os.O_RDONLY | os.O_CLOEXEC)
        send_with_fds(sock, {}, [ns])
        os.close(ns)
    signal.signal(signal.SIGUSR1, lambda *a: kill_all(reap=False))
    prepare_samples()
    # Once for every sample it forks: nothing can gain privileges through exec, and in a user namespace no sample
    # holds a capability (the zygote needs none after this: the launcher does the mounts).
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    if NS and UID < 0:
        drop_bounding_set()
        drop_caps()
    while True:
        try:
            # The sample decodes its own job: each page the zygote writes between forks is a fault too.
            head, fds = recv_with_fds(sock, decode=False)
        except EOFError:
            os._exit(0)
        chan, out, status = fds
        # Every page a forked child writes costs a copy-on-write fault, and a fault is slow on virtual machines: the
        # collector must never walk the zygote's objects in the sample (see README, Speed).
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            try:
                _signal.signal(_signal.SIGUSR1, _signal.SIG_DFL)
                sample(head, chan, out, max(FD_CEILING, *fds))
            except BaseException as e:
                try: os.write(2, ('sandbox setup failed: %s: %s\n' % (type(e).__name__, e)).encode())
                except BaseException: pass
            os._exit(71)
        CURRENT = pid
        os.close(chan); os.close(out)
        _, st, ru = os.wait4(pid, 0)
        kill_all()
        CURRENT = None
        os.write(status, b'status %d %f\n' % (st, ru.ru_utime + ru.ru_stime))
        os.close(status)

# Standard-library modules that benchmark solutions import (HumanEval's prompts: typing, math, re, hashlib, collections;
# MBPP: re, math, collections, heapq, itertools, sys, cmath...), imported once in the zygote: a sample that imports
# typing itself writes about 1,500 pages of the zygote's memory, each a copy-on-write fault. None of them can start
# processes, load native code on request or map memory (those stay refused by the audit hook). Not random: it reseeds
# in every forked child.
SAMPLE_MODULES = ('typing', 'math', 'cmath', 'collections', 're', 'string', 'itertools', 'functools', 'operator', 'heapq',
                  'bisect', 'copy', 'array', 'datetime', 'decimal', 'fractions', 'hashlib')

def prepare_samples():
    """In the zygote, once: the state every sample starts from that does not depend on the sample, so that a forked
    sample does not build it again (each page it writes is a copy-on-write fault). The zygote never uses any of it."""
    global SAMPLE_STDIO, CTYPES_MODULES, FD_CEILING
    for name in SAMPLE_MODULES:
        try: __import__(name)
        except ImportError: pass
    os.environ.clear()
    os.environ.update({'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8'})
    # The sample's stdin, stdout and stderr: fds 0, 1 and 2, which the sample points at /dev/null and its output file
    # (a regular file, seekable, as /dev/null is: fd 2 stands on it while they are made).
    saved = os.dup(2)
    os.dup2(1, 2)
    SAMPLE_STDIO = (open(0, 'r', closefd=False),
                    open(1, 'w', encoding='utf-8', errors='backslashreplace', closefd=False),
                    open(2, 'w', encoding='utf-8', errors='backslashreplace', closefd=False))
    os.dup2(saved, 2)
    os.close(saved)
    def no_signals(*a, **k): raise Blocked('signalling other processes')
    for mod, name in ((os, 'pidfd_open'), (signal, 'pidfd_send_signal'), (_signal, 'pidfd_send_signal')):
        if hasattr(mod, name): setattr(mod, name, no_signals)
    CTYPES_MODULES = [m for m in sys.modules if m == 'ctypes' or m.startswith(('ctypes.', '_ctypes'))]
    # Descriptors are numbered lowest-free first, so a sample's inherited ones are the zygote's (at most this) and its job's.
    FD_CEILING = max(int(f) for f in os.listdir('/proc/self/fd'))

def kill_all(reap=True):
    """With namespaces, every process in the PID namespace but this one; without, the sample's process group.
    From the signal handler it only kills: the main loop's wait4 reaps the sample."""
    if not NS:
        if CURRENT is not None:
            for target in (-CURRENT, CURRENT):
                try: os.kill(target, signal.SIGKILL)
                except OSError: pass
        return
    for _ in range(100000):
        try: os.kill(-1, signal.SIGKILL)
        except ProcessLookupError: return
        if not reap: return
        try: os.waitpid(-1, 0)
        except ChildProcessError: pass

def confine(d):
    """Everything privileged, while the process still may: its uid (a root agent), its session (without namespaces).
    With namespaces its only writable directory is already mounted (by the launcher) and the zygote holds no
    capability in a user namespace; the zygote is PID 1 of the sample's PID namespace, so the kernel kills the sample
    when it dies."""
    if not NS: os.setsid()
    os.chdir(d)
    if UID >= 0:
        os.setgroups([]); os.setgid(GID); os.setuid(UID)
    if not NS: prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

def sample(raw, chan, out, ceiling):
    h = json.loads(raw)
    d = h['dir']
    confine(d)
    null = os.open('/dev/null', os.O_RDONLY)
    os.dup2(null, 0); os.dup2(out, 1); os.dup2(out, 2)
    # Every descriptor but these: the ones inherited are the zygote's and this job's (none above ceiling).
    if chan < 3: raise OSError('the sample\'s channel is fd %d' % chan)
    top = max(ceiling, null) + 1
    for lo, hi in ((3, chan), (chan + 1, top)): os.closerange(lo, hi)
    def lim(k, v, hard=None):
        try: resource.setrlimit(k, (v, v if hard is None else hard))
        except (ValueError, OSError): pass
    lim(resource.RLIMIT_CPU, h['cpuS'], h['cpuS'] + 1)
    if h['memoryMb'] > 0: lim(resource.RLIMIT_AS, h['memoryMb'] << 20)
    lim(resource.RLIMIT_FSIZE, h['fileMb'] << 20)
    lim(resource.RLIMIT_NPROC, 1)
    lim(resource.RLIMIT_CORE, 0)
    os.environ['HOME'] = os.environ['TMPDIR'] = d
    sys.stdin, sys.stdout, sys.stderr = SAMPLE_STDIO
    for m in CTYPES_MODULES: sys.modules.pop(m, None)
    for name in ('libc', 'ctypes'):
        sys.modules['__main__'].__dict__.pop(name, None)
    serve(h, chan, d)

def serve(h, chan, d):
    global LIMITS
    LIMITS = h
    ns = {'__name__': '__sandbox__', '__builtins__': __builtins__}
    install_hook(os.path.realpath(d) + os.sep, h['maxFiles'], h['memoryMb'], h['fileMb'])
    sys.argv = ['main.py']
    for part, src in h['parts']:
        err = run_part(part, src, ns)
        flush()
        if err is not None:
            wire_send(chan, ['load', err])
            os._exit(0)
    names = [k for k, v in ns.items() if not k.startswith('__') and callable(v)][:2000]
    modules = [[k, v.__name__] for k, v in ns.items() if type(v) is type(sys) and type(getattr(v, '__name__', None)) is str][:200]
    wire_send(chan, ['ready', names, modules])
    handles = []
    def keep(obj):
        handles.append(obj)
        return len(handles) - 1
    def handle(n):
        if not 0 <= n < len(handles): raise WireError('unknown handle')
        return handles[n]
    while True:
        try:
            m = wire_recv(chan)
        except (EOFError, OSError):
            os._exit(0)
        try:
            if m[0] == 'call':
                fn = ns.get(m[1])
                if fn is None: raise NameError("name '%s' is not defined" % m[1])
                r = fn(*wire_dec(m[2], handle), **wire_dec(m[3], handle))
            else:
                r = remote_op(handle(m[1]), m[2], wire_dec(m[3], handle))
            reply = ['ok', wire_enc(r, keep)]
        except BaseException as e:
            try: msg = str(e)[:500]
            except BaseException: msg = ''
            reply = ['raise', type(e).__name__[:100], msg]
        flush()
        try:
            wire_send(chan, reply)
        except (WireError, ValueError, RecursionError) as e:
            wire_send(chan, ['raise', 'TypeError', 'the value cannot be sent to the tests: %s' % e])

def flush():
    for f in (sys.stdout, sys.stderr):
        try: f.flush()
        except BaseException: pass

def remote_op(obj, op, args):
    if op == 'iter': return iter(obj)
    if op == 'next': return next(obj)
    if op == 'len': return len(obj)
    if op == 'getitem': return obj[args[0]]
    if op == 'contains': return args[0] in obj
    if op == 'bool': return bool(obj)
    if op == 'str': return str(obj)
    if op == 'repr': return repr(obj)
    if op == 'getattr': return getattr(obj, args[0])
    if op == 'setattr': return setattr(obj, args[0], args[1])
    if op == 'call': return obj(*args[0], **args[1])
    raise TypeError('unsupported operation %s' % op)

def run_part(part, src, ns):
    try:
        code = compile(src, part, 'exec')
    except SyntaxError as e:
        who = '' if part == 'solution.py' else ' in ' + part
        return '%s%s line %s: %s' % (type(e).__name__, who, e.lineno, e.msg)
    except (MemoryError, RecursionError, ValueError) as e:
        return describe_error(e, part, src)
    try:
        exec(code, ns)
    except BaseException as e:
        if isinstance(e, SystemExit) and e.code in (None, 0):
            return 'SystemExit in %s: the code exited before the tests ran' % part.rsplit('.', 1)[0]
        return describe_error(e, part, src)
    return None
`;
