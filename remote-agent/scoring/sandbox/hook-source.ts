/**
 * Python: the audit hook installed in the sample's process before its code runs, and the wording of errors (shared
 * with the test process). With namespaces the hook is a second wall: the kernel already refuses writes outside the
 * sample's directory, the network, and signals beyond the sample. Without them it is the only wall against
 * those, and the run says so. Everything the hook reads is bound as a default argument, and the events that could
 * rewrite or find it (setting `__code__`/`__defaults__`, gc's object lists, code object construction,
 * ctypes calls) are refused, so replacing its code or its globals does not switch it off.
 */
export const HOOK = String.raw`
class Blocked(PermissionError): pass
class BlockedImport(ImportError): pass

_HOOK_BLOCK = frozenset(('os.system', 'os.exec', 'os.spawn', 'os.posix_spawn', 'os.fork', 'os.forkpty', 'subprocess.Popen',
    'os.kill', 'os.killpg', 'signal.pthread_kill', 'pty.spawn', 'socket.connect', 'socket.bind', 'socket.sendto',
    'socket.sendmsg', 'socket.getaddrinfo', 'socket.gethostbyname', 'socket.gethostbyaddr', 'socket.gethostbyname_ex',
    'ctypes.dlopen', 'ctypes.dlsym', 'ctypes.cdata', 'ctypes.call_function', 'ctypes.addressof', 'ctypes.string_at',
    'ctypes.wstring_at', 'ctypes.set_errno', 'resource.setrlimit', 'resource.prlimit', 'os.chroot', 'webbrowser.open',
    'sys.remote_exec', 'gc.get_objects', 'gc.get_referrers', 'gc.get_referents', 'code.__new__',
    'sys.setprofile', 'sys.settrace', 'sys._current_frames', 'os.setuid', 'os.setgid', 'os.setreuid',
    'os.setresuid', 'os.setresgid', 'os.setregid', 'os.setgroups', 'os.setns', 'os.unshare', 'os.pidfd_open',
    'signal.pidfd_send_signal', 'mmap.__new__', 'os.memfd_create'))
_HOOK_NET = ('socket.', 'http.', 'urllib.', 'ftplib.', 'smtplib.', 'telnetlib.', 'poplib.', 'imaplib.', 'nntplib.')
_HOOK_NOIMPORT = frozenset(('ctypes', '_ctypes', '_posixsubprocess', '_xxsubinterpreters', '_interpreters', 'mmap'))
_HOOK_PATHS = frozenset(('os.remove', 'os.rmdir', 'os.rename', 'os.truncate', 'os.chmod', 'os.chown', 'os.link', 'os.symlink',
    'os.mkdir', 'shutil.rmtree', 'os.utime', 'os.mkfifo', 'os.mknod', 'os.setxattr', 'os.removexattr', 'shutil.move', 'shutil.copyfile'))
_HOOK_TWO = frozenset(('os.rename', 'os.link', 'os.symlink', 'shutil.move', 'shutil.copyfile'))
_HOOK_GUARDED = frozenset(('__code__', '__defaults__', '__kwdefaults__', '__globals__', '__closure__'))

def install_hook(root, maxfiles, mem, fsize, block=_HOOK_BLOCK, net=_HOOK_NET, noimport=_HOOK_NOIMPORT, paths=_HOOK_PATHS,
                 two=_HOOK_TWO, guarded=_HOOK_GUARDED):
    # The sets are made once, in the launcher: a forked sample that built them would write to the page of every string.
    import posixpath, itertools
    W = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    # A counter the sample can only advance: a refused call's traceback shows this frame's locals to the sample,
    # and a mutable cell there (a list) could be reset to create files past the limit.
    made = itertools.count(1)
    def hook(ev, args, block=block, net=net, noimport=noimport, paths=paths, two=two, guarded=guarded, made=made, W=W,
             root=root, maxfiles=maxfiles, realpath=posixpath.realpath, fsdecode=os.fsdecode, isinstance=isinstance,
             int=int, str=str, len=len, Blocked=Blocked, BlockedImport=BlockedImport, O_CREAT=os.O_CREAT, next=next):
        def inside(p):
            if isinstance(p, int): return True
            p = realpath(fsdecode(p))
            return p == '/dev/null' or (p + '/').startswith(root)
        if ev == 'open':
            p = args[0]
            if isinstance(p, str) and p.startswith('/proc/') and not p.startswith(('/proc/self/', '/proc/thread-self/')):
                raise Blocked('reading other processes: %r' % (p,))
            if args[2] & W:
                if not inside(p): raise Blocked('writing outside its directory: %r' % (p,))
                if args[2] & O_CREAT and next(made) > maxfiles:
                    raise Blocked('more than %d files created' % maxfiles)
        elif ev in block:
            if ev.startswith(net): raise Blocked('network access (%s)' % ev)
            raise Blocked(ev)
        elif ev in paths:
            for p in (args[:2] if ev in two else args[:1]):
                if not inside(p): raise Blocked('%s outside its directory: %r' % (ev, p))
        elif ev == 'import' and args[0] in noimport:
            raise BlockedImport('import of %s' % args[0])
        elif ev == 'object.__setattr__' and len(args) > 1 and args[1] in guarded:
            raise Blocked('changing %s of a function' % args[1])
        elif ev.startswith(net) and (ev.endswith('connect') or ev.endswith('open') or ev.endswith('Request')):
            raise Blocked('network access (%s)' % ev)
    sys.addaudithook(hook)

def _line_in(tb, name):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name: line = tb.tb_lineno
        tb = tb.tb_next
    return line

def _assert_index(src, line):
    import ast
    n = 0
    for node in sorted((x for x in ast.walk(ast.parse(src)) if isinstance(x, ast.Assert)), key=lambda x: x.lineno):
        n += 1
        if node.lineno <= line <= (node.end_lineno or node.lineno): return n
    return None

def describe_error(e, part, src, mem=None, fsize=None):
    name = type(e).__name__
    try: msg = str(e).strip()
    except BaseException: msg = ''
    if isinstance(e, MemoryError): return 'killed: memory limit (%d MB)' % (mem if mem is not None else LIMITS['memoryMb'])
    if isinstance(e, OSError) and e.errno == 27: return 'killed: output limit (%d MB)' % (fsize if fsize is not None else LIMITS['fileMb'])
    line = _line_in(e.__traceback__, part)
    if part == 'test.py':
        k = None
        if line is not None:
            try: k = _assert_index(src, line)
            except BaseException: k = None
        where = ('in test %d' % k) if k else ('in the tests, line %s' % line)
    else:
        where = 'in %s line %s' % (part.rsplit('.', 1)[0], line)
    if isinstance(e, (Blocked, BlockedImport)) or getattr(e, 'blocked', False): return 'blocked by the sandbox: %s (%s)' % (msg[:200], where)
    return ('%s %s: %s' % (name, where, msg[:200])) if msg and not isinstance(e, AssertionError) else ('%s %s' % (name, where))
`;
