"""Data written to a cqld with --data-dir is there again after SIGTERM and a restart."""

from __future__ import annotations

import signal

import pytest
from cassandra.cluster import Cluster

pytestmark = pytest.mark.only_on("cqld", reason="restarts a server process of its own")


def connect(cqld) -> Cluster:
    return Cluster([cqld.host], port=cqld.port)


def test_data_survives_sigterm_and_restart(cql_target, start_cqld, tmp_path):
    data_dir = str(tmp_path / "data")
    cqld = start_cqld("--data-dir", data_dir, "--port", "0")
    cluster = connect(cqld)
    try:
        session = cluster.connect()
        session.execute(
            "CREATE KEYSPACE shop WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute("CREATE TABLE shop.item (id int PRIMARY KEY, name text, qty int)")
        insert = session.prepare("INSERT INTO shop.item (id, name, qty) VALUES (?, ?, ?)")
        for i in range(100):
            session.execute(insert, (i, f"item {i}", i))
        session.execute("UPDATE shop.item SET qty = 1000 WHERE id = 7")
        session.execute("DELETE FROM shop.item WHERE id = 8")
        session.execute("ALTER TABLE shop.item ADD price decimal")
    finally:
        cluster.shutdown()
    assert cqld.stop(signal.SIGTERM) == 0

    cqld = start_cqld("--data-dir", data_dir, "--port", "0")
    cluster = connect(cqld)
    try:
        session = cluster.connect("shop")
        rows = {row.id: row for row in session.execute("SELECT * FROM item")}
        assert len(rows) == 99
        assert 8 not in rows
        assert (rows[7].name, rows[7].qty, rows[7].price) == ("item 7", 1000, None)
        assert (rows[99].name, rows[99].qty) == ("item 99", 99)
        assert cluster.metadata.keyspaces["shop"].tables["item"].columns["price"].cql_type == (
            "decimal"
        )
    finally:
        cluster.shutdown()
