"""Secondary-index queries whose answers depend on how the index keeps up with the table.

cqld answers an equality on an indexed regular column from the index's entries; an entry is
written with each value and never taken back, so these check that a query through the index
finds exactly the rows that hold the value now: after overwrites, deletions of every kind,
TTL expiry, TRUNCATE, DROP INDEX, an index created over existing rows, paging and token
restrictions. Every test runs on Cassandra too, whose answers are the reference.
"""

from __future__ import annotations

import signal
import threading
import time

import pytest
from cassandra.cluster import Cluster
from cassandra.query import SimpleStatement


def keys(session, query, params=None, fetch_size=None):
    statement = SimpleStatement(query, fetch_size=fetch_size)
    return [row[0] for row in session.execute(statement, params)]


def wait_for_index(session, query, expected, timeout=30.0):
    """Cassandra builds an index after CREATE INDEX returns; cqld before it does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = sorted(keys(session, query))
            if found == expected or time.monotonic() > deadline:
                return found
        except Exception:  # Cassandra refuses queries while its index builds
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@pytest.fixture
def tagged(session):
    session.execute("CREATE TABLE tagged (k int PRIMARY KEY, tag int, v text)")
    session.execute("CREATE INDEX tagged_tag ON tagged (tag)")
    return session


def test_overwritten_and_deleted_values_leave_the_index(tagged):
    s = tagged
    for k in range(10):
        s.execute("INSERT INTO tagged (k, tag, v) VALUES (%s, 1, 'x')", (k,))
    s.execute("UPDATE tagged SET tag = 2 WHERE k = 1")
    s.execute("DELETE FROM tagged WHERE k = 2")
    s.execute("DELETE tag FROM tagged WHERE k = 3")
    s.execute("UPDATE tagged SET tag = null WHERE k = 4")
    s.execute("INSERT INTO tagged (k, tag) VALUES (5, 1) USING TIMESTAMP 1")  # older: loses
    s.execute("UPDATE tagged SET tag = 3 WHERE k = 6")
    s.execute("UPDATE tagged SET tag = 1 WHERE k = 6")  # and back
    assert sorted(keys(s, "SELECT k FROM tagged WHERE tag = 1")) == [0, 5, 6, 7, 8, 9]
    assert keys(s, "SELECT k FROM tagged WHERE tag = 2") == [1]
    assert keys(s, "SELECT k FROM tagged WHERE tag = 3") == []
    assert sorted(keys(s, "SELECT k FROM tagged WHERE tag = 1 AND v = 'x' ALLOW FILTERING")) == [0, 5, 6, 7, 8, 9]


def test_expired_values_leave_the_index(tagged):
    s = tagged
    s.execute("INSERT INTO tagged (k, tag) VALUES (1, 7) USING TTL 1")
    s.execute("INSERT INTO tagged (k, tag) VALUES (2, 7)")
    s.execute("UPDATE tagged USING TTL 1 SET tag = 8 WHERE k = 2")
    assert keys(s, "SELECT k FROM tagged WHERE tag = 7") == [1]
    assert keys(s, "SELECT k FROM tagged WHERE tag = 8") == [2]
    time.sleep(2.2)
    assert keys(s, "SELECT k FROM tagged WHERE tag = 8") == []
    assert keys(s, "SELECT k FROM tagged WHERE tag = 7") == []


def test_pages_and_token_restrictions_through_the_index(tagged):
    s = tagged
    insert = s.prepare("INSERT INTO tagged (k, tag) VALUES (?, ?)")
    for k in range(300):
        s.execute(insert, (k, k % 3))
    in_token_order = keys(s, "SELECT k FROM tagged WHERE tag = 0")
    assert sorted(in_token_order) == list(range(0, 300, 3))
    tokens = [row[0] for row in s.execute("SELECT token(k) FROM tagged WHERE tag = 0")]
    assert tokens == sorted(tokens)
    assert keys(s, "SELECT k FROM tagged WHERE tag = 0", fetch_size=7) == in_token_order
    select = s.prepare("SELECT k FROM tagged WHERE tag = ?")
    select.fetch_size = 13
    assert [row.k for row in s.execute(select, (0,))] == in_token_order
    middle = tokens[40]
    assert keys(s, "SELECT k FROM tagged WHERE token(k) > %s AND tag = 0", (middle,)) == in_token_order[41:]
    assert keys(s, "SELECT k FROM tagged WHERE token(k) <= %s AND tag = 0", (middle,)) == in_token_order[:41]
    assert keys(s, "SELECT k FROM tagged WHERE tag = 0 LIMIT 5") == in_token_order[:5]
    assert s.execute("SELECT count(*) FROM tagged WHERE tag = 0").one()[0] == 100


def test_an_index_created_over_existing_rows_finds_them(session):
    s = session
    s.execute("CREATE TABLE late (p int, c int, s int STATIC, tag text, PRIMARY KEY (p, c))")
    for p in range(20):
        s.execute("INSERT INTO late (p, s) VALUES (%s, 0)", (p,))  # partitions with statics only
        for c in range(3):
            s.execute("INSERT INTO late (p, c, tag) VALUES (%s, %s, %s)", (p, c, f"t{(p + c) % 4}"))
    s.execute("INSERT INTO late (p, c, tag) VALUES (100, 0, 't1') USING TTL 1000")
    s.execute("DELETE FROM late WHERE p = 0 AND c = 1")
    s.execute("DELETE FROM late WHERE p = 1 AND c > 0")
    s.execute("DELETE FROM late WHERE p = 2")
    s.execute("CREATE INDEX late_tag ON late (tag)")
    expected = sorted(
        [
            (p, c)
            for p in range(20)
            for c in range(3)
            if (p + c) % 4 == 1 and not (p == 0 and c == 1) and not (p == 1 and c > 0) and p != 2
        ]
        + [(100, 0)]
    )
    query = "SELECT p, c FROM late WHERE tag = 't1'"
    wait_for_index(s, "SELECT p FROM late WHERE tag = 't1'", sorted(p for p, _ in expected))
    assert sorted(tuple(row) for row in s.execute(query)) == expected
    assert sorted(tuple(row) for row in s.execute("SELECT p, s FROM late WHERE tag = 't1' AND p = 3")) == [(3, 0)]


def test_truncate_and_drop_index_leave_no_entries_behind(tagged):
    s = tagged
    for k in range(10):
        s.execute("INSERT INTO tagged (k, tag) VALUES (%s, 1)", (k,))
    s.execute("TRUNCATE tagged")
    assert keys(s, "SELECT k FROM tagged WHERE tag = 1") == []
    s.execute("INSERT INTO tagged (k, tag) VALUES (3, 1)")
    assert keys(s, "SELECT k FROM tagged WHERE tag = 1") == [3]
    s.execute("DROP INDEX tagged_tag")
    s.execute("UPDATE tagged SET tag = 2 WHERE k = 3")
    s.execute("CREATE INDEX tagged_tag ON tagged (tag)")
    assert wait_for_index(s, "SELECT k FROM tagged WHERE tag = 2", [3]) == [3]
    assert keys(s, "SELECT k FROM tagged WHERE tag = 1") == []


def test_frozen_and_text_values_and_sai(session):
    s = session
    s.execute(
        "CREATE TABLE kinds (k int PRIMARY KEY, f frozen<set<int>>, t text, d decimal, sd decimal, sv varint)"
    )
    s.execute("CREATE INDEX ON kinds (full(f))")
    s.execute("CREATE INDEX ON kinds (t) USING 'sai'")
    s.execute("CREATE INDEX ON kinds (d)")
    s.execute("CREATE INDEX ON kinds (sd) USING 'sai'")
    s.execute("CREATE INDEX ON kinds (sv) USING 'sai'")
    s.execute("INSERT INTO kinds (k, f, t, d, sd, sv) VALUES (1, {1, 2}, 'Abc', 1.5, 1.5, 1)")
    s.execute("INSERT INTO kinds (k, f, t, d, sd, sv) VALUES (2, {2}, 'abc', 1.50, 1.50, 1)")
    s.execute("INSERT INTO kinds (k, f, t, d) VALUES (3, {}, '', -0.0)")
    s.execute("INSERT INTO kinds (k, d) VALUES (4, 0.0)")
    assert keys(s, "SELECT k FROM kinds WHERE f = {1, 2}") == [1]
    assert keys(s, "SELECT k FROM kinds WHERE f = {2}") == [2]
    assert keys(s, "SELECT k FROM kinds WHERE t = 'abc'") == [2]
    assert keys(s, "SELECT k FROM kinds WHERE t = 'Abc'") == [1]
    # A legacy index looks a value up by its bytes, an SAI by value.
    assert keys(s, "SELECT k FROM kinds WHERE d = 1.5") == [1]
    assert keys(s, "SELECT k FROM kinds WHERE d = 1.50") == [2]
    assert sorted(keys(s, "SELECT k FROM kinds WHERE d = 0.0")) == [3, 4]
    assert keys(s, "SELECT k FROM kinds WHERE d = 0") == []
    assert sorted(keys(s, "SELECT k FROM kinds WHERE sd = 1.50")) == [1, 2]
    assert sorted(keys(s, "SELECT k FROM kinds WHERE sv = 1")) == [1, 2]


@pytest.mark.only_on("cqld", reason="restarts a server process of its own")
def test_the_index_answers_after_a_restart(start_cqld, tmp_path):
    data_dir = str(tmp_path / "data")
    cqld = start_cqld("--data-dir", data_dir, "--port", "0")
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        s = cluster.connect()
        s.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
        s.execute("CREATE TABLE ks.t (k int PRIMARY KEY, tag int)")
        insert = s.prepare("INSERT INTO ks.t (k, tag) VALUES (?, ?)")
        for k in range(100):
            s.execute(insert, (k, k % 10))
        s.execute("CREATE INDEX ON ks.t (tag)")
        s.execute("UPDATE ks.t SET tag = 11 WHERE k = 0")
    finally:
        cluster.shutdown()
    assert cqld.stop(signal.SIGTERM) == 0
    cqld = start_cqld("--data-dir", data_dir, "--port", "0")
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        s = cluster.connect("ks")
        assert sorted(keys(s, "SELECT k FROM t WHERE tag = 0")) == list(range(10, 100, 10))
        assert keys(s, "SELECT k FROM t WHERE tag = 11") == [0]
    finally:
        cluster.shutdown()


@pytest.mark.only_on("cqld", reason="cqld's CREATE INDEX returns once its entries are built")
def test_writes_racing_create_index_are_all_indexed(cql_server, keyspace, session):
    s = session
    s.execute("CREATE TABLE racing (k int PRIMARY KEY, tag int)")
    stop = threading.Event()
    written = []

    def write():
        cluster = cql_server.cluster()
        try:
            w = cluster.connect(keyspace)
            insert = w.prepare("INSERT INTO racing (k, tag) VALUES (?, 1)")
            k = 0
            while not stop.is_set():
                w.execute(insert, (k,))
                written.append(k)
                k += 1
        finally:
            cluster.shutdown()

    writer = threading.Thread(target=write)
    writer.start()
    while len(written) < 200:
        time.sleep(0.01)
    s.execute("CREATE INDEX ON racing (tag)")
    count = len(written)
    while len(written) < count + 200:
        time.sleep(0.01)
    stop.set()
    writer.join()
    assert sorted(keys(s, "SELECT k FROM racing WHERE tag = 1")) == sorted(written)
