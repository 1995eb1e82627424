/**
 * Python for the test process, forked from the launcher once per worker before the samples' PID namespace exists:
 * trusted (the benchmark's own test code), never visible to the sample (another PID namespace, or another uid, and
 * not dumpable). Each sample's tests run in a fresh namespace. The names the sample defined are
 * proxies here: a call sends its arguments as plain data over the socket and returns the sample's answer as plain
 * data. The verdict is written by this process alone, to a pipe only the launcher holds, and only after the last
 * test ran: nothing the sample does can write `pass`.
 */
export const TESTER = String.raw`
class CandidateGone(Exception):
    """The sample's process ended (crashed, was killed, or exited) while the tests needed it."""

class RemoteError(Exception):
    blocked = False

import builtins as _builtins
_BUILTIN_ERRORS = {k: v for k, v in vars(_builtins).items()
                   if isinstance(v, type) and issubclass(v, Exception) and v is not StopIteration}

def tester_main(sock):
    """One test process per worker, outside the samples' PID namespace; each job arrives with its two descriptors."""
    global LIMITS
    prctl(PR_SET_DUMPABLE, 0)
    os.chdir('/')
    while True:
        try:
            job, fds = recv_with_fds(sock)
        except EOFError:
            os._exit(0)
        chan, result = fds
        LIMITS = job
        try:
            verdict, reason = run_tests(job, chan)
        except BaseException as e:
            verdict, reason = 'error', 'test process: %s: %s' % (type(e).__name__, e)
        try: os.write(result, ('%s\t%s\n' % (verdict, reason.replace('\n', ' ')[:500])).encode('utf-8', 'replace'))
        except OSError: pass
        os.close(chan); os.close(result)
        sock.sendall(b'.')

def run_tests(job, chan):
    try:
        hello = wire_recv(chan)
    except (EOFError, OSError):
        return 'fail', 'GONE'
    except (WireError, ValueError) as e:
        return 'fail', 'the sample sent garbage instead of its names (%s)' % e
    if type(hello) is list and len(hello) == 2 and hello[0] == 'load' and type(hello[1]) is str:
        return 'fail', hello[1]
    if not (type(hello) is list and len(hello) == 3 and hello[0] == 'ready' and type(hello[1]) is list and type(hello[2]) is list):
        return 'fail', 'the sample sent garbage instead of its names'
    handles = {}
    def call(msg):
        try:
            wire_send(chan, msg)
            r = wire_recv(chan)
        except (EOFError, OSError):
            raise CandidateGone('GONE')
        if type(r) is list and len(r) == 2 and r[0] == 'ok':
            return wire_dec(r[1], handle)
        if type(r) is list and len(r) == 3 and r[0] == 'raise' and type(r[1]) is str and type(r[2]) is str:
            raise rebuild(r[1], r[2], msg[0] == 'op' and msg[2] == 'next')
        raise WireError('malformed reply from the sample')
    def enc(v):
        return wire_enc(v, lambda o: o._n if type(o) is Handle else _unsendable(o))
    class Handle:
        """An object of the sample's that is not plain data: it can be passed back, iterated, indexed or called."""
        __slots__ = ('_n',)
        def __init__(self, n): object.__setattr__(self, '_n', n)
        def _op(self, op, *args): return call(['op', self._n, op, enc(list(args))])
        def __iter__(self): return self._op('iter')
        def __next__(self): return self._op('next')
        def __len__(self): return self._op('len')
        def __getitem__(self, k): return self._op('getitem', k)
        def __contains__(self, k): return self._op('contains', k)
        def __bool__(self): return self._op('bool')
        def __str__(self): return self._op('str')
        def __repr__(self): return self._op('repr')
        def __getattr__(self, name): return self._op('getattr', name)
        def __setattr__(self, name, value): self._op('setattr', name, value)
        def __call__(self, *a, **k): return call(['op', self._n, 'call', enc([list(a), k])])
        def __eq__(self, other): return self is other
        def __ne__(self, other): return self is not other
        __hash__ = object.__hash__
    def handle(n):
        if n not in handles: handles[n] = Handle(n)
        return handles[n]
    def proxy(name):
        def candidate(*a, **k):
            return call(['call', name, enc(list(a)), enc(k)])
        candidate.__name__ = candidate.__qualname__ = name
        return candidate
    ns = {'__name__': '__main__', '__builtins__': __builtins__}
    context = job.get('context')
    if context:
        try: exec(compile(context, 'context.py', 'exec'), ns)
        except BaseException as e: return 'error', 'the benchmark\'s own prompt code failed: %s' % describe_error(e, 'context.py', context)
    entry = job.get('entryPoint')
    for name in hello[1]:
        if type(name) is str and name.isidentifier() and (name not in ns or name == entry): ns[name] = proxy(name)
    import_modules(ns, hello[2])
    for part, src in job['tests']:
        try:
            code = compile(src, part, 'exec')
            exec(code, ns)
        except CandidateGone:
            return 'fail', 'GONE'
        except BaseException as e:
            return 'fail', describe_error(e, part, src)
    return 'pass', 'all tests passed'

_NO_IMPORT = frozenset(('antigravity', 'this', 'idlelib', 'tkinter', 'turtle', 'turtledemo', 'webbrowser', '__hello__', '__phello__'))

def import_modules(ns, modules):
    """Standard-library modules the sample imported, imported here too: MBPP's asserts use the solution's imports (sys, math, re)."""
    stdlib = getattr(sys, 'stdlib_module_names', frozenset())
    import importlib
    for pair in modules:
        if not (type(pair) is list and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str): continue
        alias, name = pair
        top = name.split('.')[0]
        if alias in ns or not alias.isidentifier() or top not in stdlib or top in _NO_IMPORT: continue
        try: ns[alias] = importlib.import_module(name)
        except ImportError: pass

def _unsendable(o):
    raise TypeError('the tests passed a %s, which cannot be sent to the sample' % type(o).__name__)

def rebuild(name, msg, iterating):
    if name == 'StopIteration' and iterating: return StopIteration()
    cls = _BUILTIN_ERRORS.get(name)
    if cls is not None:
        try: return cls(msg)
        except BaseException: pass
    e = RemoteError(msg)
    e.blocked = name in ('Blocked', 'BlockedImport')
    if not e.blocked:
        e.args = ('%s: %s' % (name, msg) if msg else name,)
    return e
`;
