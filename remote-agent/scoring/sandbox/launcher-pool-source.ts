/**
 * The launcher pool: one Python process the agent starts for the first launchers of a sandbox, so that they cost a
 * fork each instead of an interpreter start, the imports, the launcher's compilation and the zygote's imports of
 * the modules samples use (about 25 ms of CPU per launcher; the pool pays them once). It runs before any job exists
 * and never runs sample or test code. Each launcher it forks leads a session of its own (the agent kills it with its
 * process group), takes its slot's three descriptors as stdin, stdout and stderr and closes every other one, then
 * runs the launcher's main part exactly as a launcher the agent spawned itself would. The pool reports the
 * launchers' pids as one JSON line, reaps them as they end, and exits when none is left.
 * fd 3: JSON {definitions, main}; argv[1]: JSON list of each launcher's arguments; slot i's descriptors are
 * 4 + 3i (stdin), 5 + 3i (stdout), 6 + 3i (stderr).
 */
export const POOL = String.raw`
import os, sys, json
def _pool_read(fd):
    b = b''
    while True:
        c = os.read(fd, 1 << 16)
        if not c: break
        b += c
    os.close(fd)
    return b
_pool_source = json.loads(_pool_read(3))
# The definitions live in __main__, as in a launcher the agent spawns (the sample's process removes what it must not
# reach from there, see the jail); each launcher deletes the pool's own names before it runs.
exec(compile(_pool_source['definitions'], '<evalbench-launcher>', 'exec'))
_pool_main = compile(_pool_source['main'], '<evalbench-launcher>', 'exec')
del _pool_source
for _pool_module in SAMPLE_MODULES:
    try: __import__(_pool_module)
    except ImportError: pass
prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
_pool_slots = json.loads(sys.argv[1])
_pool_top = 4 + 3 * len(_pool_slots)
sys.stdout.flush(); sys.stderr.flush()

def _pool_launcher(i, args):
    code = 70
    try:
        os.setsid()
        for k in range(3): os.dup2(4 + 3 * i + k, k)
        os.closerange(3, _pool_top)
        sys.argv = ['-c', json.dumps(args)]
        main = _pool_main
        for name in [n for n in globals() if n.startswith('_pool_')]: del globals()[name]
        exec(main, globals())
        code = 0
    except SystemExit as e:
        if e.code is None: code = 0
        elif isinstance(e.code, int): code = e.code
        else:
            code = 1
            try: sys.stderr.write('%s\n' % (e.code,))
            except BaseException: pass
    except BaseException:
        code = 1
        try:
            import traceback
            traceback.print_exc()
        except BaseException: pass
    finally:
        try: sys.stdout.flush(); sys.stderr.flush()
        except BaseException: pass
        os._exit(code)

_pool_pids = []
for _pool_i, _pool_args in enumerate(_pool_slots):
    _pool_pid = os.fork()
    if _pool_pid == 0: _pool_launcher(_pool_i, _pool_args)
    _pool_pids.append(_pool_pid)
os.closerange(4, _pool_top)
sys.stdout.write(json.dumps({'pids': _pool_pids}) + '\n')
sys.stdout.flush()
while True:
    try: os.wait()
    except ChildProcessError: break
`;
