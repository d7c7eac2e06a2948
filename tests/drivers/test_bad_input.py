"""Bad input on a raw socket gets the right protocol error, and the server keeps serving."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator

import pytest

HEADER = struct.Struct(">BBhBi")  # version, flags, stream, opcode, body length (protocol v4)
STARTUP, READY, AUTHENTICATE, ERROR, QUERY, RESULT = 0x01, 0x02, 0x03, 0x00, 0x07, 0x08
AUTH_RESPONSE, AUTH_SUCCESS = 0x0F, 0x10
PROTOCOL_ERROR, SYNTAX_ERROR, INVALID = 0x000A, 0x2000, 0x2200
IO_TIMEOUT_S = 30  # bounds a hang; not a speed assertion


def string_map(entries: dict[str, str]) -> bytes:
    body = struct.pack(">H", len(entries))
    for key, value in entries.items():
        body += struct.pack(">H", len(key)) + key.encode()
        body += struct.pack(">H", len(value)) + value.encode()
    return body


def query_body(cql: str) -> bytes:
    text = cql.encode()
    return struct.pack(">i", len(text)) + text + struct.pack(">HB", 0x0001, 0)  # ONE, no flags


class RawConnection:
    def __init__(self, cql_server) -> None:
        self.server = cql_server
        self.sock = socket.create_connection(
            (cql_server.host, cql_server.port), timeout=IO_TIMEOUT_S
        )

    def send(self, opcode: int, body: bytes = b"", stream: int = 0) -> None:
        self.sock.sendall(HEADER.pack(0x04, 0, stream, opcode, len(body)) + body)

    def read_exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("closed by the server")
            data += chunk
        return data

    def receive(self) -> tuple[int, int, bytes]:
        """The next frame as (stream, opcode, body)."""
        version, _flags, stream, opcode, length = HEADER.unpack(self.read_exactly(HEADER.size))
        assert version == 0x84, f"response version byte {version:#x}"
        return stream, opcode, self.read_exactly(length)

    def startup(self) -> None:
        self.send(STARTUP, string_map({"CQL_VERSION": "3.0.0"}))
        opcode = self.receive()[1]
        if opcode == AUTHENTICATE:  # SASL PLAIN: \0user\0password
            token = f"\0{self.server.username}\0{self.server.password}".encode()
            self.send(AUTH_RESPONSE, struct.pack(">i", len(token)) + token)
            opcode = self.receive()[1]
            assert opcode == AUTH_SUCCESS
        else:
            assert opcode == READY

    def request(self, opcode: int, body: bytes, stream: int = 1) -> tuple[int, bytes]:
        self.send(opcode, body, stream)
        got_stream, opcode, body = self.receive()
        assert got_stream == stream
        return opcode, body

    def is_closed_by_server(self) -> bool:
        """Reads (and discards) until the server closes the connection."""
        try:
            while self.sock.recv(65536):
                pass
        except ConnectionResetError:
            pass
        return True

    def close(self) -> None:
        self.sock.close()


def error_code(opcode: int, body: bytes) -> int:
    assert opcode == ERROR, f"expected ERROR, got opcode {opcode:#x}"
    return struct.unpack(">i", body[:4])[0]


@pytest.fixture
def raw(cql_server) -> Iterator[RawConnection]:
    conn = RawConnection(cql_server)
    yield conn
    conn.close()


@pytest.fixture
def still_serving(cql_server, admin_session) -> Iterator[None]:
    """After the test: a driver session and a fresh raw connection both still work."""
    yield
    assert admin_session.execute("SELECT key FROM system.local").one().key == "local"
    conn = RawConnection(cql_server)
    try:
        conn.startup()
        opcode, _ = conn.request(QUERY, query_body("SELECT key FROM system.local"))
        assert opcode == RESULT
    finally:
        conn.close()


def protocol_error_or_close(conn: RawConnection) -> None:
    """The server answers a framing error with a ProtocolError, or just closes the socket."""
    try:
        header = conn.read_exactly(HEADER.size)
    except (ConnectionError, ConnectionResetError):
        return
    *_, opcode, length = HEADER.unpack(header)
    assert error_code(opcode, conn.read_exactly(length)) == PROTOCOL_ERROR


def test_garbage_bytes(raw, still_serving, cql_target):
    raw.sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
    protocol_error_or_close(raw)
    if cql_target == "cqld":  # Cassandra leaves the socket open; cqld drops it
        assert raw.is_closed_by_server()


def test_a_request_over_the_frame_limit_is_refused_and_the_connection_kept(raw, still_serving):
    """Over native_transport_max_frame_size (16 MiB by default): Invalid, the body is read and
    dropped, and the same connection answers the next request."""
    raw.startup()
    length = 16 * 1024 * 1024 - 8  # with the 9-byte header, one byte over
    raw.sock.sendall(HEADER.pack(0x04, 0, 5, QUERY, length) + b"\x00" * length)
    stream, opcode, body = raw.receive()
    assert stream == 5
    assert error_code(opcode, body) == INVALID
    assert b"Request is too big: length 16777217 exceeds maximum allowed length 16777216." in body
    opcode, _ = raw.request(QUERY, query_body("SELECT key FROM system.local"), stream=6)
    assert opcode == RESULT


def test_truncated_frame_then_close(raw, still_serving):
    raw.startup()
    raw.sock.sendall(HEADER.pack(0x04, 0, 1, QUERY, 100) + b"\x00" * 10)
    raw.sock.shutdown(socket.SHUT_WR)
    assert raw.is_closed_by_server()


def test_unknown_opcode_is_a_protocol_error(raw, still_serving):
    raw.startup()
    raw.send(0x55, b"", stream=3)
    stream, opcode, body = raw.receive()
    assert (stream, error_code(opcode, body)) == (3, PROTOCOL_ERROR)


def test_broken_cql_is_a_syntax_error(raw, still_serving):
    raw.startup()
    assert error_code(*raw.request(QUERY, query_body("SELEC * FROM system.local"))) == (
        SYNTAX_ERROR
    )
    assert error_code(*raw.request(QUERY, query_body("SELECT * FROM"))) == SYNTAX_ERROR
    opcode, _ = raw.request(QUERY, query_body("SELECT key FROM system.local"))
    assert opcode == RESULT  # the connection itself stays usable


def test_unknown_table_is_invalid(raw, still_serving):
    raw.startup()
    opcode, body = raw.request(QUERY, query_body("SELECT * FROM system.no_such_table"))
    assert error_code(opcode, body) == INVALID
    assert b"no_such_table" in body
    opcode, _ = raw.request(QUERY, query_body("SELECT key FROM system.local"))
    assert opcode == RESULT


def test_query_before_startup_is_a_protocol_error(raw, still_serving):
    raw.send(QUERY, query_body("SELECT key FROM system.local"), stream=1)
    _stream, opcode, body = raw.receive()  # Cassandra 5.0 answers on stream 0
    assert error_code(opcode, body) == PROTOCOL_ERROR


DEEP = 100_000  # levels; each used to be a recursion in the parser, preparer or executor
DEEP_STATEMENTS = {
    "element_selection": "SELECT m" + "[1]" * DEEP + " FROM system.local",
    "field_selection": "SELECT m" + ".f" * DEEP + " FROM system.local",
    "slices": "SELECT m" + "[1..2]" * DEEP + " FROM system.local",
    "selector_sum": "SELECT v" + " + 1" * DEEP + " FROM system.local",
    "selector_product": "SELECT v" + " * 1" * DEEP + " FROM system.local",
    "negation": "SELECT " + "- " * DEEP + "v FROM system.local",
    "type_hints": "SELECT " + "(int)" * DEEP + "v FROM system.local",
    "function_calls": "SELECT " + "f(" * DEEP + "v" + ")" * DEEP + " FROM system.local",
    "term_sum": "SELECT * FROM system.local WHERE key = 'a'" + " + 'b'" * DEEP,
    "parentheses": "SELECT * FROM system.local WHERE key = " + "(" * DEEP + "'a'" + ")" * DEEP,
    "list_literal": "INSERT INTO t (k, v) VALUES (1, " + "[" * DEEP + "1" + "]" * DEEP + ")",
    "map_literal": "INSERT INTO t (k, v) VALUES (1, " + "{1: " * DEEP + "1" + "}" * DEEP + ")",
    "tuple_literal": "INSERT INTO t (k, v) VALUES (1, " + "(1, " * DEEP + "1" + ")" * DEEP + ")",
    "types": "CREATE TABLE t (k int PRIMARY KEY, v "
    + "frozen<list<" * DEEP
    + "int"
    + ">>" * DEEP
    + ")",
}


@pytest.mark.only_on(
    "cqld",
    reason="Cassandra answers such nesting with a ServerError (java.lang.StackOverflowError) or "
    "not within the client's timeout; cqld refuses it with a SyntaxError",
)
@pytest.mark.parametrize("kind", sorted(DEEP_STATEMENTS))
def test_deep_nesting_is_refused_and_the_server_keeps_serving(raw, still_serving, kind):
    raw.startup()
    opcode, body = raw.request(QUERY, query_body(DEEP_STATEMENTS[kind]))
    assert error_code(opcode, body) == SYNTAX_ERROR
    assert b"too many nested expressions" in body
    opcode, _ = raw.request(QUERY, query_body("SELECT key FROM system.local"))
    assert opcode == RESULT
