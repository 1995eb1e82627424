/**
 * Python: the system calls the launcher needs that the standard library lacks before 3.12 (unshare, mount, prctl,
 * capset), through ctypes in the trusted launcher only; the sample's process drops ctypes before its code runs and
 * its audit hook refuses loading it again. Plus file-descriptor passing over a Unix socket.
 */
export const SYSTEM = String.raw`
import os, sys, json, signal, _signal, select, time, socket, resource, array, shutil, ctypes, gc
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x8000000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 1, 2, 4, 8, 32, 1024, 2048, 4096, 16384
MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 1 << 18, 1 << 21, 1 << 24
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 1, 4, 38, 24
MOUNT_FLAGS = {'nosuid': MS_NOSUID, 'nodev': MS_NODEV, 'noexec': MS_NOEXEC, 'noatime': MS_NOATIME,
               'nodiratime': MS_NODIRATIME, 'relatime': MS_RELATIME, 'strictatime': MS_STRICTATIME}

def _check(r, what):
    if r != 0:
        e = ctypes.get_errno()
        raise OSError(e, '%s: %s' % (what, os.strerror(e)))

def unshare(flags): _check(libc.unshare(ctypes.c_int(flags)), 'unshare')

def setns(fd, flags): _check(libc.setns(ctypes.c_int(fd), ctypes.c_int(flags)), 'setns')

def umount(target): _check(libc.umount2(os.fsencode(target), ctypes.c_int(2)), 'umount %s' % target)  # MNT_DETACH

def mount(src, dst, fstype, flags):
    enc = lambda s: None if s is None else os.fsencode(s)
    _check(libc.mount(enc(src), enc(dst), enc(fstype), ctypes.c_ulong(flags), None), 'mount %s' % dst)

def prctl(op, arg):
    _check(libc.prctl(ctypes.c_int(op), ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)), 'prctl %d' % op)

class _CapHeader(ctypes.Structure): _fields_ = [('version', ctypes.c_uint32), ('pid', ctypes.c_int)]
class _CapData(ctypes.Structure): _fields_ = [('effective', ctypes.c_uint32), ('permitted', ctypes.c_uint32), ('inheritable', ctypes.c_uint32)]

def drop_bounding_set():
    """No capability can come back through exec. The caller keeps the ones it has (the zygote: to mount)."""
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), 0, 0, 0) != 0: break

def drop_caps():
    """Every capability gone for good (effective/permitted/inheritable; the bounding set went with the zygote): no mount, no ptrace."""
    _check(libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), (_CapData * 2)()), 'capset')

def mountinfo():
    """(mount point, per-mount flags) for every mount, in order."""
    out = []
    with open('/proc/self/mountinfo') as f:
        for line in f:
            parts = line.split()
            point = parts[4].encode().decode('unicode_escape').encode('latin-1').decode('utf-8', 'surrogateescape')
            flags = 0
            for o in parts[5].split(','):
                flags |= MOUNT_FLAGS.get(o, 0)
            out.append((point, flags))
    return out

def send_with_fds(sock, head, fds):
    body = json.dumps(head).encode()
    sock.sendmsg([len(body).to_bytes(4, 'big')], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', fds))])
    sock.sendall(body)

def recv_with_fds(sock, decode=True):
    msg, anc, _, _ = sock.recvmsg(4, socket.CMSG_SPACE(16 * array.array('i').itemsize))
    if len(msg) < 4: raise EOFError()
    fds = array.array('i')
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - (len(data) % fds.itemsize)])
    n = int.from_bytes(msg, 'big')
    body = bytearray()
    while len(body) < n:
        c = sock.recv(n - len(body))
        if not c: raise EOFError()
        body += c
    return (json.loads(bytes(body)) if decode else bytes(body)), list(fds)
`;
