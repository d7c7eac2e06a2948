"""Native protocol v5 (shared/reference/protocol/native_protocol_v5.spec) on both targets: the
python-driver negotiates it and runs prepared statements, batches, paging, per-request keyspaces
and values larger than a segment; raw connections check the handshake outside segments, the
segment CRCs and what a corrupt one gets, the v5 message fields and the result metadata id."""

from __future__ import annotations

import hashlib
import re
import struct

import pytest
from cassandra.query import BatchStatement, SimpleStatement

import v5_wire as w

CRC_ERROR = re.compile(
    r"[0-9a-f]{8} invalid, unrecoverable CRC mismatch detected in frame (header|body)\. "
    r"Read -?\d+, Computed -?\d+"
)
PROTOCOL_ERROR = 0x000A
INVALID = 0x2200
# Schema changes on a busy machine's Cassandra can take longer than the driver's default 10 s.
SCHEMA_TIMEOUT_S = 60


@pytest.fixture
def table(admin_session, keyspace):
    admin_session.execute(
        f"CREATE TABLE {keyspace}.items (id int, seq int, name text, PRIMARY KEY (id, seq))", timeout=SCHEMA_TIMEOUT_S
    )
    return f"{keyspace}.items"


def test_driver_negotiates_v5(cql_server):
    cluster = cql_server.cluster()
    try:
        session = cluster.connect()
        assert cluster.protocol_version == 5
        assert session.execute("SELECT native_protocol_version FROM system.local").one()[0] == "5"
    finally:
        cluster.shutdown()


def test_prepared_batch_paging_and_multi_segment_values(session, table):
    assert session.cluster.protocol_version == 5
    insert = session.prepare(f"INSERT INTO {table} (id, seq, name) VALUES (?, ?, ?)")
    batch = BatchStatement()
    for seq in range(40):
        batch.add(insert, (1, seq, f"n{seq}"))
    batch.add(SimpleStatement(f"INSERT INTO {table} (id, seq, name) VALUES (1, 40, 'simple')"))
    session.execute(batch)

    select = session.prepare(f"SELECT seq, name FROM {table} WHERE id = ?")
    select.fetch_size = 6
    result = session.execute(select, (1,))
    first_page = list(result.current_rows)
    assert len(first_page) == 6 and result.has_more_pages
    rows = list(result)
    assert [r.seq for r in rows] == list(range(41))
    assert rows[-1].name == "simple"

    # 400 KB each way: the request and the response are split across four segments.
    large = "y" * 400_000
    session.execute(insert, (2, 0, large))
    assert session.execute(select, (2,)).one().name == large


def test_keyspace_of_the_request_replaces_the_connections(cql_server, admin_session, keyspace, table):
    admin_session.execute(f"INSERT INTO {table} (id, seq, name) VALUES (3, 1, 'ks')")
    cluster = cql_server.cluster()
    try:
        session = cluster.connect()  # no keyspace
        query = SimpleStatement("SELECT name FROM items WHERE id = 3", keyspace=keyspace)
        assert session.execute(query).one().name == "ks"
        prepared = session.prepare("SELECT name FROM items WHERE id = ?", keyspace=keyspace)
        assert session.execute(prepared, (3,)).one().name == "ks"
    finally:
        cluster.shutdown()


# --- raw v5 connections ---------------------------------------------------------------------


@pytest.fixture
def raw(cql_server):
    conn = w.Connection(cql_server.port, cql_server.host)
    yield conn
    conn.close()


def ready(raw, cql_server, options=None):
    version, flags, _stream, opcode, body = raw.startup(options=options)
    assert version == 0x85 and flags == 0
    if opcode == 0x03:  # AUTHENTICATE: answered framed, like everything after STARTUP
        token = f"\0{cql_server.username}\0{cql_server.password}".encode()
        raw.send(w.segment(w.envelope(0x0F, struct.pack(">i", len(token)) + token, stream=1)))
        assert raw.read_framed_envelope()[3] == 0x10
    else:
        assert opcode == w.READY, w.error_of(body)


def framed_request(raw, opcode, body, stream=2):
    raw.send(w.segment(w.envelope(opcode, body, stream=stream)))
    version, flags, got_stream, got_opcode, got_body = raw.read_framed_envelope()
    assert (version, got_stream) == (0x85, stream)
    if flags & 0x08:  # warnings: a [string list] before the body (Cassandra warns on some PREPAREs)
        count, pos = struct.unpack(">H", got_body[:2])[0], 2
        for _ in range(count):
            pos += 2 + struct.unpack(">H", got_body[pos:pos + 2])[0]
        got_body = got_body[pos:]
    return got_opcode, got_body


def test_handshake_is_unframed_and_supported_lists_v5(raw, cql_server):
    raw.send(w.envelope(w.OPTIONS, b"", stream=3))
    version, _flags, stream, opcode, body = raw.read_envelope()
    assert (version, stream, opcode) == (0x85, 3, w.SUPPORTED)
    versions = w.read_string_multimap(body)["PROTOCOL_VERSIONS"]
    assert versions[:3] == ["3/v3", "4/v4", "5/v5"]
    ready(raw, cql_server)
    # After READY, OPTIONS too travels in segments.
    opcode, body = framed_request(raw, w.OPTIONS, b"", stream=4)
    assert opcode == w.SUPPORTED and "5/v5" in w.read_string_multimap(body)["PROTOCOL_VERSIONS"]


def test_beta_flag_is_ignored_for_v5(raw):
    raw.send(w.envelope(w.OPTIONS, b"", stream=5, flags=0x10))
    assert raw.read_envelope()[3] == w.SUPPORTED


def test_v6_is_refused(raw, cql_server):
    raw.send(w.envelope(w.OPTIONS, b"", stream=5, version=6))
    opcode, body = raw.read_envelope()[3:]
    assert opcode == w.ERROR
    code, message = w.error_of(body)
    assert code == PROTOCOL_ERROR
    # Cassandra 5.0 has a v6 beta; cqld has no v6 at all.
    expected = {
        "cassandra": "Beta version of the protocol used (6/v6-beta), but USE_BETA flag is unset",
        "cqld": "Invalid or unsupported protocol version (6); supported versions are (3/v3, 4/v4, 5/v5)",
    }
    assert message == expected[cql_server.target]


def test_snappy_is_refused_in_v5_and_the_connection_stays(raw, cql_server):
    version, _flags, _stream, opcode, body = raw.startup(options={"COMPRESSION": "snappy"})
    assert (version, opcode) == (0x85, w.ERROR)
    assert w.error_of(body) == (PROTOCOL_ERROR, "Snappy compression is not supported in protocol V5")
    ready(raw, cql_server)


@pytest.mark.parametrize("part", ["header", "body"])
def test_corrupt_segment_gets_a_protocol_error_and_the_connection_closes(raw, cql_server, part):
    ready(raw, cql_server)
    envelope = w.envelope(w.OPTIONS, b"", stream=9)
    raw.send(w.segment(envelope, corrupt_header=part == "header", corrupt_payload=part == "body"))
    version, _flags, stream, opcode, body = raw.read_framed_envelope()
    assert (version, stream, opcode) == (0x85, 0, w.ERROR)
    code, message = w.error_of(body)
    assert code == PROTOCOL_ERROR
    assert CRC_ERROR.fullmatch(message), message
    assert f"frame {part}." in message
    with pytest.raises((EOFError, ConnectionResetError)):
        raw.read_framed_envelope()


def test_envelope_split_across_segments_is_joined(raw, cql_server, table):
    ready(raw, cql_server)
    name = "z" * 300_000
    query = f"INSERT INTO {table} (id, seq, name) VALUES (7, 1, '{name}')"
    raw.send(w.segments(w.envelope(w.QUERY, w.query_body(query), stream=6)))
    opcode, body = raw.read_framed_envelope()[3:]
    assert opcode == w.RESULT and struct.unpack(">i", body[:4])[0] == 1  # Void
    # Several envelopes in one self-contained segment (answered in any order, by stream).
    many = b"".join(w.envelope(w.OPTIONS, b"", stream=s) for s in (10, 11, 12))
    raw.send(w.segment(many))
    assert sorted(raw.read_framed_envelope()[2] for _ in range(3)) == [10, 11, 12]


def prepare(raw, query, keyspace=None, stream=2):
    body = w.long_string(query)
    body += struct.pack(">i", 1) + struct.pack(">H", len(keyspace)) + keyspace.encode() if keyspace \
        else struct.pack(">i", 0)
    opcode, result = framed_request(raw, w.PREPARE, body, stream)
    if opcode == w.ERROR:
        return w.error_of(result)
    assert struct.unpack(">i", result[:4])[0] == 4  # Prepared
    pos = 4
    ids = []
    for _ in range(2):
        n = struct.unpack(">H", result[pos:pos + 2])[0]
        ids.append(result[pos + 2:pos + 2 + n])
        pos += 2 + n
    return tuple(ids)


def execute(raw, statement_id, metadata_id, skip_metadata=True):
    body = struct.pack(">H", len(statement_id)) + statement_id
    body += struct.pack(">H", len(metadata_id)) + metadata_id
    body += struct.pack(">Hi", 1, 0x02 if skip_metadata else 0)
    opcode, result = framed_request(raw, w.EXECUTE, body)
    assert opcode == w.RESULT, w.error_of(result)
    kind, flags, columns = struct.unpack(">iii", result[:12])
    assert kind == 2  # Rows
    new_id = None
    if flags & 0x0008:
        n = struct.unpack(">H", result[12:14])[0]
        new_id = result[14:14 + n]
    return flags, columns, new_id


def test_result_metadata_id_changes_with_the_tables_columns(raw, cql_server, admin_session, table):
    admin_session.execute(f"INSERT INTO {table} (id, seq, name) VALUES (1, 1, 'a')")
    ready(raw, cql_server)
    statement_id, old_id = prepare(raw, f"SELECT * FROM {table}")
    assert len(old_id) == 16
    flags, columns, new_id = execute(raw, statement_id, old_id)
    assert flags & 0x0004 and not flags & 0x0008 and columns == 3 and new_id is None

    admin_session.execute(f"ALTER TABLE {table} ADD extra int", timeout=SCHEMA_TIMEOUT_S)
    same_statement, current_id = prepare(raw, f"SELECT * FROM {table}")
    assert same_statement == statement_id
    assert current_id != old_id
    # The stale id gets Metadata_changed, the new id and the full metadata despite skip_metadata.
    flags, columns, new_id = execute(raw, statement_id, old_id)
    assert flags & 0x0008 and not flags & 0x0004
    assert (columns, new_id) == (4, current_id)
    flags, columns, new_id = execute(raw, statement_id, current_id)
    assert flags & 0x0004 and not flags & 0x0008 and columns == 4


def test_statements_without_rows_have_the_empty_metadata_id(raw, cql_server, table):
    ready(raw, cql_server)
    _statement, metadata_id = prepare(raw, f"INSERT INTO {table} (id, seq, name) VALUES (?, ?, ?)")
    assert metadata_id == hashlib.md5(b"").digest()  # as Cassandra 5.0.8 sends it


def test_prepare_keyspace_flag(raw, cql_server, keyspace, table):
    ready(raw, cql_server)
    error = prepare(raw, "SELECT * FROM items")
    assert error[0] == INVALID and "keyspace" in error[1].lower()
    with_keyspace = prepare(raw, "SELECT * FROM items", keyspace=keyspace)
    assert len(with_keyspace) == 2 and len(with_keyspace[0]) == 16


def test_query_keyspace_and_now_in_seconds_flags(raw, cql_server, admin_session, keyspace, table):
    admin_session.execute(f"INSERT INTO {table} (id, seq, name) VALUES (4, 1, 'now')")
    ready(raw, cql_server)
    extra = struct.pack(">H", len(keyspace)) + keyspace.encode() + struct.pack(">i", 1_700_000_000)
    body = w.query_body("SELECT name FROM items WHERE id = 4", flags=0x80 | 0x100, extra=extra)
    opcode, result = framed_request(raw, w.QUERY, body)
    assert opcode == w.RESULT, w.error_of(result)
    assert result.endswith(struct.pack(">i", 1) + struct.pack(">i", 3) + b"now")


def test_declared_too_big_message_is_refused_and_the_connection_stays(raw, cql_server):
    ready(raw, cql_server)
    query = "INSERT INTO nowhere.t (a) VALUES ('" + "z" * 17_000_000 + "')"
    envelope = w.envelope(w.QUERY, w.query_body(query), stream=6)
    raw.send(w.segments(envelope))
    _version, _flags, stream, opcode, body = raw.read_framed_envelope()
    assert (stream, opcode) == (6, w.ERROR)
    # Cassandra's default native_transport_max_message_size, and cqld's --max-frame-size-mb.
    assert w.error_of(body) == (
        INVALID,
        f"CQL Message of size {len(envelope) - 9} bytes exceeds allowed maximum of 16777216 bytes",
    )
    opcode, _body = framed_request(raw, w.OPTIONS, b"", stream=8)
    assert opcode == w.SUPPORTED
