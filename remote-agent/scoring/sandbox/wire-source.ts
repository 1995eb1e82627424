/**
 * Python shared by the sample's process and the test process: length-prefixed JSON messages over a socket, and the
 * codec that turns values into plain data. Only exact builtin types cross (subclasses are read through the base
 * type's own C methods, so no method of the value runs on the way); anything else stays behind as a numbered handle
 * that the test process can only pass back, iterate, index or call. An object whose `__eq__` is always true
 * therefore cannot reach the tests: comparisons happen between plain values in the test process.
 */
export const WIRE = String.raw`
import json as _json, struct as _struct, builtins as _builtins
class WireError(Exception): pass
_BIG = 1 << 53
def wire_send(fd, obj):
    b = _json.dumps(obj, separators=(',', ':')).encode('utf-8', 'surrogatepass')
    data = memoryview(_struct.pack('>I', len(b)) + b)
    while data:
        n = os.write(fd, data)
        data = data[n:]
def _readn(fd, n):
    buf = bytearray()
    while len(buf) < n:
        c = os.read(fd, n - len(buf))
        if not c: raise EOFError('channel closed')
        buf += c
    return bytes(buf)
def wire_recv(fd, limit=256 << 20):
    n = _struct.unpack('>I', _readn(fd, 4))[0]
    if n > limit: raise WireError('message of %d bytes' % n)
    return _json.loads(_readn(fd, n).decode('utf-8', 'surrogatepass'))
def wire_enc(x, keep, depth=0):
    """Plain data for x; keep(obj) -> handle number for anything that is not plain data."""
    if depth > 500: raise WireError('value nested too deeply')
    t = type(x)
    if x is None or t is bool or t is str: return x
    if t is float: return x
    if t is int: return x if -_BIG < x < _BIG else ['i', format(x, 'x')]
    d = depth + 1
    if t is list: return ['l'] + [wire_enc(v, keep, d) for v in x]
    if t is tuple: return ['t'] + [wire_enc(v, keep, d) for v in x]
    if t is dict:
        out = ['d']
        for k, v in x.items():
            out.append(wire_enc(k, keep, d)); out.append(wire_enc(v, keep, d))
        return out
    if t is set: return ['s'] + [wire_enc(v, keep, d) for v in x]
    if t is frozenset: return ['f'] + [wire_enc(v, keep, d) for v in x]
    if t is bytes: return ['b', x.hex()]
    if t is bytearray: return ['a', x.hex()]
    if t is complex: return ['c', x.real, x.imag]
    if t is type and getattr(_builtins, x.__name__, None) is x: return ['T', x.__name__]
    # Subclasses of builtins (namedtuple, OrderedDict, Counter, IntEnum...): the base type's C code reads the value.
    if issubclass(t, int): return wire_enc(int.__add__(x, 0), keep, depth)
    if issubclass(t, float): return wire_enc(float.__mul__(x, 1.0), keep, depth)
    if issubclass(t, str): return str.__str__(x)
    if issubclass(t, tuple): return ['t'] + [wire_enc(v, keep, d) for v in tuple.__iter__(x)]
    if issubclass(t, list): return ['l'] + [wire_enc(v, keep, d) for v in list.__iter__(x)]
    if issubclass(t, dict):
        out = ['d']
        for k, v in dict.items(x):
            out.append(wire_enc(k, keep, d)); out.append(wire_enc(v, keep, d))
        return out
    if issubclass(t, frozenset): return ['f'] + [wire_enc(v, keep, d) for v in frozenset.__iter__(x)]
    if issubclass(t, set): return ['s'] + [wire_enc(v, keep, d) for v in set.__iter__(x)]
    if issubclass(t, bytes): return ['b', bytes.hex(x)]
    return ['h', keep(x)]
def wire_dec(x, handle):
    """The value for plain data; handle(n) -> the object standing for handle n."""
    t = type(x)
    if x is None or t is bool or t is str or t is int or t is float: return x
    if t is not list or not x or type(x[0]) is not str: raise WireError('malformed value')
    tag = x[0]
    if tag == 'l': return [wire_dec(v, handle) for v in x[1:]]
    if tag == 't': return tuple(wire_dec(v, handle) for v in x[1:])
    if tag == 'd':
        it = iter(x[1:])
        return {wire_dec(k, handle): wire_dec(v, handle) for k, v in zip(it, it)}
    if tag == 's': return set(wire_dec(v, handle) for v in x[1:])
    if tag == 'f': return frozenset(wire_dec(v, handle) for v in x[1:])
    if tag == 'i' and len(x) == 2 and type(x[1]) is str: return int(x[1], 16)
    if tag == 'b' and len(x) == 2 and type(x[1]) is str: return bytes.fromhex(x[1])
    if tag == 'a' and len(x) == 2 and type(x[1]) is str: return bytearray.fromhex(x[1])
    if tag == 'c' and len(x) == 3: return complex(float(x[1]), float(x[2]))
    if tag == 'T' and len(x) == 2 and type(x[1]) is str and type(getattr(_builtins, x[1], None)) is type: return getattr(_builtins, x[1])
    if tag == 'h' and len(x) == 2 and type(x[1]) is int: return handle(x[1])
    raise WireError('malformed value')
`;
