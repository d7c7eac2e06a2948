"""No single client can take memory, CPU or every connection slot from everyone else.

Each test starts a cqld of its own (small limits where that makes the bound quick to reach), does
what a hostile or careless client would, and checks three things: the bound held (resident
memory measured from /proc, the right error code), other clients were served meanwhile, and the
server is still serving afterwards.
"""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import cramjam
import pytest
from cassandra import InvalidRequest
from cassandra.cluster import Cluster
from cassandra.query import SimpleStatement

from test_bad_input import (
    ERROR,
    HEADER,
    INVALID,
    PROTOCOL_ERROR,
    QUERY,
    RESULT,
    STARTUP,
    RawConnection,
    error_code,
    query_body,
    string_map,
)

pytestmark = pytest.mark.only_on("cqld", reason="measures and limits a server process of its own")

MIB = 1 << 20
WAIT_S = 60  # bounds a hang; not a speed assertion


def rss_bytes(cqld) -> int:
    status = Path(f"/proc/{cqld.proc.pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) * 1024


class Endpoint:
    def __init__(self, cqld) -> None:
        self.host, self.port = cqld.host, cqld.port
        self.username = self.password = None


def served(cqld) -> None:
    """A fresh driver session can write and read."""
    cluster = Cluster([cqld.host], port=cqld.port, connect_timeout=WAIT_S)
    try:
        session = cluster.connect()
        session.execute(
            "CREATE KEYSPACE IF NOT EXISTS b WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute("CREATE TABLE IF NOT EXISTS b.kv (k int PRIMARY KEY, v text)")
        session.execute("INSERT INTO b.kv (k, v) VALUES (1, 'served')")
        assert session.execute("SELECT v FROM b.kv WHERE k = 1").one().v == "served"
    finally:
        cluster.shutdown()


def test_declared_but_unsent_frame_bodies_take_no_memory(start_cqld):
    cqld = start_cqld("--memory", "--port", "0", "--max-frame-size-mb", "256")
    before = rss_bytes(cqld)
    held = []
    for stream in range(8):  # 8 x 256 MiB declared: twice the default request budget
        conn = RawConnection(Endpoint(cqld))
        conn.startup()
        conn.sock.sendall(HEADER.pack(0x04, 0, stream, QUERY, 256 * MIB - 1) + b"\0" * 100)
        held.append(conn)
    time.sleep(0.5)
    served(cqld)  # another client's writes and reads are answered
    assert rss_bytes(cqld) - before < 64 * MIB
    for conn in held:
        conn.close()
    served(cqld)


def test_stalled_frames_and_handshakes_are_closed(start_cqld):
    cqld = start_cqld(
        "--memory", "--port", "0", "--max-connections", "40",
        "--frame-timeout-ms", "500", "--handshake-timeout-ms", "1500",
    )
    stalled = []
    for _ in range(20):  # three bytes of a header, then nothing
        s = socket.create_connection((cqld.host, cqld.port))
        s.sendall(b"\x04\x00\x00")
        stalled.append(s)
    silent = []
    for _ in range(20):  # connect and never say STARTUP
        silent.append(socket.create_connection((cqld.host, cqld.port)))
    for s in stalled + silent:  # every one is closed by the server, not left holding a slot
        s.settimeout(WAIT_S)
        assert s.recv(1) == b""
        s.close()
    served(cqld)


def test_idle_connections_close_only_when_asked_to(start_cqld):
    cqld = start_cqld("--memory", "--port", "0", "--idle-timeout-ms", "700")
    idle = RawConnection(Endpoint(cqld))
    idle.startup()
    busy = RawConnection(Endpoint(cqld))
    busy.startup()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:  # heartbeats, as drivers send them, keep it open
        opcode, _ = busy.request(0x05, b"")  # OPTIONS
        assert opcode == 0x06
        time.sleep(0.2)
    idle.sock.settimeout(WAIT_S)
    assert idle.sock.recv(1) == b""
    opcode, _ = busy.request(QUERY, query_body("SELECT key FROM system.local"))
    assert opcode == RESULT


@pytest.mark.parametrize("compression", ["lz4", "snappy"])
def test_compression_bombs_are_refused_before_allocation(start_cqld, compression):
    cqld = start_cqld("--memory", "--port", "0")
    before = rss_bytes(cqld)
    conn = RawConnection(Endpoint(cqld))
    conn.send(STARTUP, string_map({"CQL_VERSION": "3.0.0", "COMPRESSION": compression}))
    assert conn.receive()[1] == 0x02  # READY
    if compression == "lz4":  # 17 bytes that claim a 256 MiB body
        bomb = struct.pack(">I", 256 * MIB) + b"\0" * 13
    else:
        bomb = b"\x80\x80\x80\x80\x01" + b"\0" * 12
    for stream in range(50):
        conn.sock.sendall(HEADER.pack(0x04, 0x01, stream, QUERY, len(bomb)) + bomb)
    for _ in range(50):
        _stream, opcode, body = conn.receive()
        assert opcode == ERROR
        assert struct.unpack(">i", decompressed(compression, body)[:4])[0] == PROTOCOL_ERROR
    assert rss_bytes(cqld) - before < 64 * MIB
    served(cqld)


def decompressed(compression: str, body: bytes) -> bytes:
    """A response body compressed as the protocol frames it (lz4: a 4-byte length, then a block)."""
    if compression == "lz4":
        length = struct.unpack(">I", body[:4])[0]
        return bytes(cramjam.lz4.decompress_block(body[4:], output_len=length))
    return bytes(cramjam.snappy.decompress_raw(body))


def test_the_statement_cache_is_bounded_in_bytes(start_cqld):
    cqld = start_cqld("--memory", "--port", "0", "--statement-cache-mb", "16")
    served(cqld)
    before = rss_bytes(cqld)
    for i in range(4):  # four distinct 1 MB statements whose parse trees take ~250 MB each
        values = ", ".join(str(v) for v in range(i, i + 150_000))
        conn = RawConnection(Endpoint(cqld))
        conn.startup()
        opcode, body = conn.request(QUERY, query_body(f"SELECT * FROM b.kv WHERE k IN ({values})"))
        assert opcode == ERROR and error_code(opcode, body) == INVALID  # beyond the IN product limit
        conn.close()
    time.sleep(0.5)
    assert rss_bytes(cqld) - before < 128 * MIB
    served(cqld)


def test_in_products_are_bounded(start_cqld):
    cqld = start_cqld("--memory", "--port", "0")
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        session = cluster.connect()
        session.execute(
            "CREATE KEYSPACE i WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute(
            "CREATE TABLE i.t (a int, b int, c int, d int, v int, PRIMARY KEY ((a, b), c, d))"
        )
        session.execute("INSERT INTO i.t (a, b, c, d, v) VALUES (1, 1, 1, 1, 7)")
        in50 = "(" + ", ".join(str(v) for v in range(50)) + ")"
        before = rss_bytes(cqld)
        # 2,500 partitions x 2,500 clusterings: read range by range, never held at once.
        rows = session.execute(
            f"SELECT v FROM i.t WHERE a IN {in50} AND b IN {in50} AND c IN {in50} AND d IN {in50}",
            timeout=WAIT_S,
        )
        assert [r.v for r in rows] == [7]
        assert rss_bytes(cqld) - before < 128 * MIB
        in300 = "(" + ", ".join(str(v) for v in range(300)) + ")"
        with pytest.raises(InvalidRequest, match="in_select_cartesian_product"):
            session.execute(f"SELECT v FROM i.t WHERE a IN {in300} AND b IN {in300}")
    finally:
        cluster.shutdown()
    served(cqld)


def test_result_pages_are_bounded_in_bytes(start_cqld):
    cqld = start_cqld("--memory", "--port", "0", "--max-result-page-mb", "1")
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        session = cluster.connect()
        session.execute(
            "CREATE KEYSPACE r WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute("CREATE TABLE r.t (p int, c int, v blob, PRIMARY KEY (p, c))")
        insert = session.prepare("INSERT INTO r.t (p, c, v) VALUES (1, ?, ?)")
        for c in range(3000):
            session.execute(insert, (c, b"x" * 1000))
        with pytest.raises(InvalidRequest, match="larger than the 1 MiB a page may hold"):
            session.execute(SimpleStatement("SELECT * FROM r.t WHERE p = 1", fetch_size=None))
        # Paged, a page ends at the byte bound however many rows were asked for.
        result = session.execute(SimpleStatement("SELECT c FROM r.t WHERE p = 1", fetch_size=5000))
        first_page = len(result.current_rows)
        assert first_page == 3000  # small rows: the row count bounds the page
        result = session.execute(SimpleStatement("SELECT * FROM r.t WHERE p = 1", fetch_size=5000))
        assert len(result.current_rows) < 3000
        assert [row.c for row in result] == list(range(3000))
    finally:
        cluster.shutdown()
    served(cqld)
