"""Partitions live in Murmur3 token order, with tokens computed exactly as Cassandra does."""

from __future__ import annotations

import struct

from cassandra.murmur3 import murmur3


def composite_key(*components: bytes) -> bytes:
    """The serialized form Cassandra hashes for a multi-column partition key."""
    return b"".join(struct.pack(">H", len(c)) + c + b"\x00" for c in components)


def test_unrestricted_scan_is_in_token_order(session):
    session.execute("CREATE TABLE t (k text PRIMARY KEY, v int)")
    insert = session.prepare("INSERT INTO t (k, v) VALUES (?, ?)")
    keys = [f"key-{i}" for i in range(300)] + [
        "ü",
        "a" * 100,
    ]  # empty keys are rejected
    for i, key in enumerate(keys):
        session.execute(insert, (key, i))

    session.default_fetch_size = 17  # pages must continue in token order too
    rows = list(session.execute("SELECT k, token(k) FROM t"))
    assert sorted(row.k for row in rows) == sorted(keys)
    assert all(row[1] == murmur3(row.k.encode()) for row in rows)
    tokens = [row[1] for row in rows]
    assert tokens == sorted(tokens)


def test_token_of_composite_and_int_keys(session):
    session.execute("CREATE TABLE c (a int, b text, v int, PRIMARY KEY ((a, b)))")
    session.execute("CREATE TABLE i (k bigint PRIMARY KEY)")
    for a in range(20):
        session.execute("INSERT INTO c (a, b, v) VALUES (%s, %s, 0)", (a, f"b{a}"))
        session.execute("INSERT INTO i (k) VALUES (%s)", (a - 10,))

    for row in session.execute("SELECT a, b, token(a, b) FROM c"):
        expected = murmur3(composite_key(struct.pack(">i", row.a), row.b.encode()))
        assert row[2] == expected
    for row in session.execute("SELECT k, token(k) FROM i"):
        assert row[1] == murmur3(struct.pack(">q", row.k))


def test_token_range_restriction(session):
    session.execute("CREATE TABLE t (k int PRIMARY KEY)")
    for k in range(100):
        session.execute("INSERT INTO t (k) VALUES (%s)", (k,))
    by_token = {murmur3(struct.pack(">i", k)): k for k in range(100)}
    low, high = sorted(by_token)[20], sorted(by_token)[60]

    rows = session.execute("SELECT k FROM t WHERE token(k) > %s AND token(k) <= %s", (low, high))
    assert [row.k for row in rows] == [by_token[t] for t in sorted(by_token) if low < t <= high]
