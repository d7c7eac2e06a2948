"""A raw native protocol v5 client for tests that need bytes no driver sends: segments with
CRC24/CRC32 (spec section 2), corrupted on purpose, split envelopes, the handshake frames."""
import socket
import struct
import zlib

MAX_PAYLOAD = (1 << 17) - 1
_CRC32_SEED = b"\xfa\x2d\x55\xca"

OPTIONS, STARTUP, QUERY, PREPARE, EXECUTE, ERROR, READY, SUPPORTED, RESULT = 5, 1, 7, 9, 10, 0, 2, 6, 8


def crc24(value, length):
    crc = 0x875060
    for _ in range(length):
        crc ^= (value & 0xFF) << 16
        value >>= 8
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1974F0B
    return crc


def crc32(data):
    return zlib.crc32(data, zlib.crc32(_CRC32_SEED)) & 0xFFFFFFFF


def segment(payload, self_contained=True, corrupt_header=False, corrupt_payload=False):
    fields = len(payload) | (int(self_contained) << 17)
    header_crc = crc24(fields, 3) ^ (1 if corrupt_header else 0)
    trailer = crc32(payload) ^ (1 if corrupt_payload else 0)
    return (fields.to_bytes(3, "little") + header_crc.to_bytes(3, "little") + payload
            + trailer.to_bytes(4, "little"))


def segments(envelope_bytes):
    if len(envelope_bytes) <= MAX_PAYLOAD:
        return segment(envelope_bytes)
    return b"".join(segment(envelope_bytes[i:i + MAX_PAYLOAD], self_contained=False)
                    for i in range(0, len(envelope_bytes), MAX_PAYLOAD))


def envelope(opcode, body, stream=0, version=5, flags=0):
    return struct.pack(">BBhBi", version, flags, stream, opcode, len(body)) + body


def string_map(m):
    out = struct.pack(">H", len(m))
    for k, v in m.items():
        out += struct.pack(">H", len(k)) + k.encode() + struct.pack(">H", len(v)) + v.encode()
    return out


def long_string(s):
    b = s.encode()
    return struct.pack(">i", len(b)) + b


def query_body(cql, consistency=1, flags=0, extra=b""):
    return long_string(cql) + struct.pack(">Hi", consistency, flags) + extra


class Connection:
    def __init__(self, port, host="127.0.0.1", timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.envelopes = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_envelope(self):
        """One v4-layout frame: (version byte, flags, stream, opcode, body)."""
        version, flags, stream, opcode, length = struct.unpack(">BBhBi", self._read(9))
        return version, flags, stream, opcode, self._read(length)

    def read_framed_envelope(self):
        """One envelope from v5 segments (uncompressed), checking both CRCs. A segment may hold
        several envelopes: the ones after the first wait in self.envelopes."""
        while True:
            if len(self.envelopes) >= 9:
                length = struct.unpack(">i", self.envelopes[5:9])[0]
                if len(self.envelopes) >= 9 + length:
                    data, self.envelopes = self.envelopes[:9 + length], self.envelopes[9 + length:]
                    version, flags, stream, opcode, _ = struct.unpack(">BBhBi", data[:9])
                    return version, flags, stream, opcode, data[9:]
            head = self._read(6)
            fields = int.from_bytes(head[:3], "little")
            assert int.from_bytes(head[3:], "little") == crc24(fields, 3), "header CRC24"
            payload = self._read(fields & MAX_PAYLOAD)
            assert int.from_bytes(self._read(4), "little") == crc32(payload), "payload CRC32"
            self.envelopes += payload

    def startup(self, version=5, options=None):
        opts = {"CQL_VERSION": "3.4.5"}
        opts.update(options or {})
        self.send(envelope(STARTUP, string_map(opts), version=version))
        return self.read_envelope()


def error_of(body):
    code = struct.unpack(">i", body[:4])[0]
    n = struct.unpack(">H", body[4:6])[0]
    return code, body[6:6 + n].decode()


def read_string_multimap(body):
    n = struct.unpack(">H", body[:2])[0]
    pos, out = 2, {}
    for _ in range(n):
        kl = struct.unpack(">H", body[pos:pos + 2])[0]
        key = body[pos + 2:pos + 2 + kl].decode()
        pos += 2 + kl
        count = struct.unpack(">H", body[pos:pos + 2])[0]
        pos += 2
        vals = []
        for _ in range(count):
            vl = struct.unpack(">H", body[pos:pos + 2])[0]
            vals.append(body[pos + 2:pos + 2 + vl].decode())
            pos += 2 + vl
        out[key] = vals
    return out
