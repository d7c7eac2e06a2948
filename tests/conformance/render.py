"""Canonical text for CQL result values, made from the raw bytes the server sent.

Every value is rendered from its wire bytes (never from the driver's Python objects), so two servers that send
the same bytes render the same text and any difference in bytes shows. The forms are documented in README.md.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
import struct
import uuid
from decimal import Decimal

from cassandra import cqltypes

_EPOCH = datetime.datetime(1970, 1, 1)
_DATE_EPOCH_OFFSET = 1 << 31
_NANOS_PER_SECOND = 1_000_000_000


def type_name(t: type) -> str:
    """CQL name of a driver type class, e.g. `map<text, frozen<list<int>>>`; UDTs by their bare name."""
    if issubclass(t, cqltypes.UserType):
        return t.typename
    if issubclass(t, cqltypes.FrozenType):  # only inside a vector's class name; v4 metadata has no frozen
        return f"frozen<{type_name(t.subtypes[0])}>"
    if issubclass(t, cqltypes.VectorType):
        return f"vector<{type_name(t.subtype)}, {t.vector_size}>"
    if issubclass(t, cqltypes.TupleType):
        return "tuple<" + ", ".join(type_name(s) for s in t.subtypes) + ">"
    if issubclass(t, (cqltypes.ListType, cqltypes.SetType, cqltypes.MapType)):
        return t.typename + "<" + ", ".join(type_name(s) for s in t.subtypes) + ">"
    if issubclass(t, cqltypes._UnrecognizedType):
        return "'" + t.cassname + "'"
    return t.typename


def value(t: type, data: bytes | None) -> str:
    """Canonical text of one serialized value of type `t` (None is a null)."""
    if data is None:
        return "null"
    while issubclass(t, cqltypes.FrozenType):
        t = t.subtypes[0]
    if len(data) == 0 and not issubclass(t, (cqltypes.BytesType, cqltypes.UTF8Type, cqltypes.AsciiType)):
        return "empty"
    try:
        return _render(t, data)
    except (ValueError, OverflowError, struct.error, IndexError, UnicodeDecodeError) as e:
        return f"<bad {type_name(t)} 0x{data.hex()}: {e}>"


def _render(t: type, data: bytes) -> str:
    for base, fn in _SCALARS:
        if issubclass(t, base):
            return fn(data)
    if issubclass(t, cqltypes.UserType):
        return _udt(t, data)
    if issubclass(t, cqltypes.TupleType):
        return "(" + ", ".join(value(s, v) for s, v in zip(t.subtypes, _cells(data, len(t.subtypes)))) + ")"
    if issubclass(t, cqltypes.MapType):
        return _map(t, data)
    if issubclass(t, cqltypes.ListType):
        return "[" + ", ".join(value(t.subtypes[0], v) for v in _elements(data)) + "]"
    if issubclass(t, cqltypes.SetType):
        return "{" + ", ".join(value(t.subtypes[0], v) for v in _elements(data)) + "}"
    if issubclass(t, cqltypes.VectorType):
        return _vector(t, data)
    return "0x" + data.hex()


def text(s: str) -> str:
    """A string as a single-quoted CQL literal; control characters escaped so each value stays on one line."""
    out = []
    for ch in s:
        if ch == "'":
            out.append("''")
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\x{ord(ch):02x}"))
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def _utf8(data: bytes) -> str:
    return text(data.decode("utf-8"))


def _ascii(data: bytes) -> str:
    if any(b > 0x7F for b in data):
        raise ValueError("non-ASCII byte")
    return text(data.decode("ascii"))


def _signed(size: int):
    def fn(data: bytes) -> str:
        if len(data) != size:
            raise ValueError(f"expected {size} bytes")
        return str(int.from_bytes(data, "big", signed=True))

    return fn


def _varint(data: bytes) -> str:
    return str(int.from_bytes(data, "big", signed=True))


def _decimal(data: bytes) -> str:
    scale = struct.unpack(">i", data[:4])[0]
    unscaled = int.from_bytes(data[4:], "big", signed=True)
    # The tuple form is exact whatever the scale; str() is BigDecimal.toString()'s notation.
    digits = tuple(int(d) for d in str(abs(unscaled)))
    return str(Decimal((1 if unscaled < 0 else 0, digits, -scale)))


def _boolean(data: bytes) -> str:
    if len(data) != 1:
        raise ValueError("expected 1 byte")
    return "false" if data[0] == 0 else "true"


def _special(f: float) -> str | None:
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return None


def _float(data: bytes) -> str:
    (f,) = struct.unpack(">f", data)
    special = _special(f)
    if special:
        return special
    for digits in range(1, 10):  # the shortest decimal that reads back as the same float32
        s = f"{f:.{digits}g}"
        try:
            if struct.pack(">f", float(s)) == data:
                return repr(float(s))
        except OverflowError:  # rounded past the float32 range
            continue
    return repr(f)


def _double(data: bytes) -> str:
    (f,) = struct.unpack(">d", data)
    return _special(f) or repr(f)


def _timestamp(data: bytes) -> str:
    (ms,) = struct.unpack(">q", data)
    try:
        dt = _EPOCH + datetime.timedelta(milliseconds=ms)
    except OverflowError:
        return f"timestamp({ms})"
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _date(data: bytes) -> str:
    (raw,) = struct.unpack(">I", data)
    days = raw - _DATE_EPOCH_OFFSET
    try:
        return (_EPOCH.date() + datetime.timedelta(days=days)).isoformat()
    except OverflowError:
        return f"date({days})"


def _time(data: bytes) -> str:
    (ns,) = struct.unpack(">q", data)
    seconds, nanos = divmod(ns, _NANOS_PER_SECOND)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{nanos:09d}"


def _uuid(data: bytes) -> str:
    return str(uuid.UUID(bytes=data))


def _inet(data: bytes) -> str:
    if len(data) not in (4, 16):
        raise ValueError("expected 4 or 16 bytes")
    return str(ipaddress.ip_address(data))


def _unsigned_vint(data: bytes, pos: int) -> tuple[int, int]:
    """One unsigned variable-length integer as Cassandra's VIntCoding writes it: the count of leading one bits
    of the first byte is the count of bytes that follow."""
    first = data[pos]
    extra = 0
    while extra < 8 and first & (0x80 >> extra):
        extra += 1
    raw = first & (0xFF >> (extra + 1)) if extra < 8 else 0
    if pos + 1 + extra > len(data):
        raise ValueError("truncated vint")
    for b in data[pos + 1 : pos + 1 + extra]:
        raw = (raw << 8) | b
    return raw, pos + 1 + extra


def _vint(data: bytes, pos: int) -> tuple[int, int]:
    """One signed (zigzag) variable-length integer."""
    raw, pos = _unsigned_vint(data, pos)
    return (raw >> 1) ^ -(raw & 1), pos


def _duration(data: bytes) -> str:
    months, pos = _vint(data, 0)
    days, pos = _vint(data, pos)
    nanos, pos = _vint(data, pos)
    if pos != len(data):
        raise ValueError("trailing bytes")
    return f"{months}mo{days}d{nanos}ns"


def _blob(data: bytes) -> str:
    return "0x" + data.hex()


def _int32(data: bytes, pos: int) -> tuple[int, int]:
    return struct.unpack(">i", data[pos : pos + 4])[0], pos + 4


def _element(data: bytes, pos: int) -> tuple[bytes | None, int]:
    size, pos = _int32(data, pos)
    if size < 0:
        return None, pos
    if pos + size > len(data):
        raise ValueError("truncated element")
    return data[pos : pos + size], pos + size


def _elements(data: bytes) -> list[bytes | None]:
    count, pos = _int32(data, 0)
    out = []
    for _ in range(count):
        item, pos = _element(data, pos)
        out.append(item)
    if pos != len(data):
        raise ValueError("trailing bytes")
    return out


def _cells(data: bytes, limit: int) -> list[bytes | None]:
    """Tuple/UDT components: length-prefixed, possibly fewer than declared (trailing ones absent)."""
    out: list[bytes | None] = []
    pos = 0
    while pos < len(data):
        if len(out) == limit:
            raise ValueError("more components than the type declares")
        item, pos = _element(data, pos)
        out.append(item)
    return out


def _map(t: type, data: bytes) -> str:
    flat = _elements_pairs(data)
    kt, vt = t.subtypes
    return "{" + ", ".join(f"{value(kt, k)}: {value(vt, v)}" for k, v in flat) + "}"


def _elements_pairs(data: bytes) -> list[tuple[bytes | None, bytes | None]]:
    count, pos = _int32(data, 0)
    out = []
    for _ in range(count):
        k, pos = _element(data, pos)
        v, pos = _element(data, pos)
        out.append((k, v))
    if pos != len(data):
        raise ValueError("trailing bytes")
    return out


def _udt(t: type, data: bytes) -> str:
    parts = _cells(data, len(t.subtypes))
    fields = [f"{name}: {value(st, v)}" for name, st, v in zip(t.fieldnames, t.subtypes, parts)]
    return "{" + ", ".join(fields) + "}"


def _vector(t: type, data: bytes) -> str:
    # Cassandra serializes counters in a vector with a length prefix (its counter type has no fixed length);
    # the driver takes them as fixed 8-byte values.
    size = None if issubclass(t.subtype, cqltypes.CounterColumnType) else t.subtype.serial_size()
    if size is None:
        return "[" + ", ".join(value(t.subtype, v) for v in _sized_elements(data, t.vector_size)) + "]"
    if len(data) != size * t.vector_size:
        raise ValueError("wrong vector size")
    return "[" + ", ".join(value(t.subtype, data[i : i + size]) for i in range(0, len(data), size)) + "]"


def _sized_elements(data: bytes, count: int) -> list[bytes]:
    """Elements of a vector of a variable-size type: each one an unsigned vint length, then its bytes."""
    out, pos = [], 0
    for _ in range(count):
        size, pos = _unsigned_vint(data, pos)
        if pos + size > len(data):
            raise ValueError("truncated element")
        out.append(data[pos : pos + size])
        pos += size
    if pos != len(data):
        raise ValueError("trailing bytes")
    return out


_SCALARS = [
    (cqltypes.UTF8Type, _utf8),
    (cqltypes.AsciiType, _ascii),
    (cqltypes.BytesType, _blob),
    (cqltypes.BooleanType, _boolean),
    (cqltypes.ByteType, _signed(1)),
    (cqltypes.ShortType, _signed(2)),
    (cqltypes.Int32Type, _signed(4)),
    (cqltypes.LongType, _signed(8)),  # also counter
    (cqltypes.IntegerType, _varint),
    (cqltypes.DecimalType, _decimal),
    (cqltypes.FloatType, _float),
    (cqltypes.DoubleType, _double),
    (cqltypes.TimeUUIDType, _uuid),  # before DateType: TimeUUIDType derives from it in the driver
    (cqltypes.DateType, _timestamp),
    (cqltypes.SimpleDateType, _date),
    (cqltypes.TimeType, _time),
    (cqltypes.UUIDType, _uuid),
    (cqltypes.InetAddressType, _inet),
    (cqltypes.DurationType, _duration),
]
