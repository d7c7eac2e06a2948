"""A small native-protocol (v4) client for load: many connections, many requests in flight.

The python driver multiplexes one connection per host and spends most of its time in Python;
load tests need many sockets, pipelined requests, and clients that misbehave on purpose, so they
speak the protocol directly. Only what they need is here: STARTUP, QUERY, PREPARE, EXECUTE,
and the opcode, error code and message of each response.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

HEADER = struct.Struct(">BBhBi")
STARTUP, ERROR, READY, QUERY, RESULT, PREPARE, EXECUTE = 0x01, 0x00, 0x02, 0x07, 0x08, 0x09, 0x0A
ONE = 0x0001
IO_TIMEOUT_S = 60  # bounds a hang; not a speed assertion


def string_map(entries: dict[str, str]) -> bytes:
    out = struct.pack(">H", len(entries))
    for k, v in entries.items():
        out += struct.pack(">H", len(k)) + k.encode() + struct.pack(">H", len(v)) + v.encode()
    return out


def long_string(text: str) -> bytes:
    b = text.encode()
    return struct.pack(">i", len(b)) + b


def query_body(cql: str, values: list[bytes] | None = None) -> bytes:
    return long_string(cql) + params(values)


def execute_body(prepared_id: bytes, values: list[bytes]) -> bytes:
    return struct.pack(">H", len(prepared_id)) + prepared_id + params(values)


def params(values: list[bytes] | None) -> bytes:
    if not values:
        return struct.pack(">HB", ONE, 0)
    out = struct.pack(">HBH", ONE, 0x01, len(values))
    for v in values:
        out += struct.pack(">i", len(v)) + v
    return out


def frame(opcode: int, body: bytes, stream: int) -> bytes:
    return HEADER.pack(0x04, 0, stream, opcode, len(body)) + body


@dataclass
class Response:
    opcode: int
    body: bytes

    @property
    def error(self) -> tuple[int, str] | None:
        if self.opcode != ERROR:
            return None
        code, length = struct.unpack_from(">iH", self.body)
        return code, self.body[6 : 6 + length].decode(errors="replace")

    def prepared_id(self) -> bytes:
        kind, length = struct.unpack_from(">iH", self.body)
        assert kind == 0x0004, f"not a Prepared result: {kind}"
        return self.body[6 : 6 + length]


class Connection:
    """One socket; requests may be pipelined (up to 32767 in flight)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.pending: dict[int, asyncio.Future] = {}
        self.free_streams = list(range(32767, 0, -1))
        self.reading = asyncio.ensure_future(self._read_loop())

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), IO_TIMEOUT_S)
        conn = cls(reader, writer)
        ready = await conn.request(STARTUP, string_map({"CQL_VERSION": "3.0.0"}))
        assert ready.opcode == READY, ready
        return conn

    async def request(self, opcode: int, body: bytes) -> Response:
        if self.reading.done():
            raise ConnectionError("connection lost")
        stream = self.free_streams.pop()
        future = asyncio.get_running_loop().create_future()
        self.pending[stream] = future
        try:
            self.writer.write(frame(opcode, body, stream))
            await self.writer.drain()
            return await asyncio.wait_for(future, IO_TIMEOUT_S)
        finally:
            self.pending.pop(stream, None)
            self.free_streams.append(stream)

    async def query(self, cql: str, values: list[bytes] | None = None) -> Response:
        return await self.request(QUERY, query_body(cql, values))

    async def _read_loop(self) -> None:
        try:
            while True:
                header = await self.reader.readexactly(HEADER.size)
                _version, _flags, stream, opcode, length = HEADER.unpack(header)
                body = await self.reader.readexactly(length)
                future = self.pending.get(stream)
                if future is not None and not future.done():
                    future.set_result(Response(opcode, body))
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as e:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"connection lost: {e!r}"))

    async def close(self) -> None:
        self.reading.cancel()
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except (ConnectionError, OSError):
            pass
