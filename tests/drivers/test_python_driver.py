"""The DataStax python-driver connects with its defaults and sees schema changes at once."""

from __future__ import annotations

import logging

import pytest

# The driver offers its highest protocol (DSE v2) first and steps down, logging each step; it also
# warns when contact points come without a load-balancing policy. Both happen against any server.
DRIVER_NOTICES = ("Downgrading core protocol version", "no load_balancing_policy")
# Both negotiate v5, the highest non-beta version of each (the driver steps down from DSE v2).
NEGOTIATED_PROTOCOL = {"cqld": 5, "cassandra": 5}


def unexpected_records(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.name.startswith("cassandra")
        and r.levelno >= logging.WARNING
        and not any(notice in r.getMessage() for notice in DRIVER_NOTICES)
    ]


def test_connect_negotiates_protocol_and_loads_metadata(cql_server, caplog):
    caplog.set_level(logging.WARNING, logger="cassandra")
    cluster = cql_server.cluster()
    try:
        session = cluster.connect()
        local = session.execute("SELECT cluster_name, release_version FROM system.local").one()
        assert cluster.protocol_version == NEGOTIATED_PROTOCOL[cql_server.target]
        metadata = cluster.metadata
        assert metadata.cluster_name == local.cluster_name
        assert metadata.partitioner == "org.apache.cassandra.dht.Murmur3Partitioner"
        assert {"system", "system_schema", "system_auth"} <= set(metadata.keyspaces)
        assert "local" in metadata.keyspaces["system"].tables
        assert metadata.token_map is not None
        (host,) = metadata.all_hosts()
        assert (host.datacenter, host.rack, host.is_up) == (
            "datacenter1",
            "rack1",
            True,
        )
        assert host.release_version == local.release_version
    finally:
        cluster.shutdown()
    assert unexpected_records(caplog) == []


def test_create_table_is_in_metadata_with_schema_agreed(session, keyspace, caplog):
    caplog.set_level(logging.WARNING, logger="cassandra")
    result = session.execute(
        "CREATE TABLE items (id int, part text, name text, tags set<text>, PRIMARY KEY (id, part))"
    )
    assert result.response_future.is_schema_agreed
    table = session.cluster.metadata.keyspaces[keyspace].tables["items"]
    assert [c.name for c in table.partition_key] == ["id"]
    assert [c.name for c in table.clustering_key] == ["part"]
    assert {name: c.cql_type for name, c in table.columns.items()} == {
        "id": "int",
        "part": "text",
        "name": "text",
        "tags": "set<text>",
    }

    result = session.execute("ALTER TABLE items ADD price decimal")
    assert result.response_future.is_schema_agreed
    assert (
        session.cluster.metadata.keyspaces[keyspace].tables["items"].columns["price"].cql_type
        == "decimal"
    )

    result = session.execute("DROP TABLE items")
    assert result.response_future.is_schema_agreed
    assert "items" not in session.cluster.metadata.keyspaces[keyspace].tables
    assert unexpected_records(caplog) == []


def test_keyspace_metadata_reports_replication(session, keyspace):
    ks = session.cluster.metadata.keyspaces[keyspace]
    assert ks.durable_writes is True
    assert ks.replication_strategy.export_for_schema() == (
        "{'class': 'SimpleStrategy', 'replication_factor': '1'}"
    )
