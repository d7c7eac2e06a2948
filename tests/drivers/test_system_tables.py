"""system.local, peers and system_schema: what drivers and cqlsh read to learn the cluster."""

from __future__ import annotations

import uuid

import pytest

LOCAL_COLUMNS = {
    "key", "bootstrapped", "broadcast_address", "broadcast_port", "cluster_name",
    "cql_version", "data_center", "gossip_generation", "host_id", "listen_address",
    "listen_port", "native_protocol_version", "partitioner", "rack", "release_version",
    "rpc_address", "rpc_port", "schema_version", "tokens", "truncated_at",
}  # fmt: skip
SCHEMA_TABLES = [
    "keyspaces", "tables", "columns", "dropped_columns", "triggers", "views", "types",
    "functions", "aggregates", "indexes",
]  # fmt: skip
# system.local's dropped thrift_version column has dropped_time Long.MAX_VALUE / 1000 ms, beyond
# what Python's datetime (and so the driver) decodes.
SELECTION = {"dropped_columns": "keyspace_name, table_name, column_name, kind, type"}
# cqld presents itself as a Cassandra 4 node speaking protocol v4; the real node is 5.0.
RELEASE_PREFIX = {"cqld": "4.", "cassandra": "5.0."}
PROTOCOL = {"cqld": "5", "cassandra": "5"}


def test_system_local(cql_server, admin_session):
    result = admin_session.execute("SELECT * FROM system.local")
    local = result.one()
    assert set(result.column_names) == LOCAL_COLUMNS
    assert local.key == "local"
    assert local.bootstrapped == "COMPLETED"
    assert local.release_version.startswith(RELEASE_PREFIX[cql_server.target])
    assert local.native_protocol_version == PROTOCOL[cql_server.target]
    assert local.cql_version.startswith("3.4.")
    assert local.cluster_name
    assert local.partitioner == "org.apache.cassandra.dht.Murmur3Partitioner"
    assert (local.data_center, local.rack) == ("datacenter1", "rack1")
    assert (local.rpc_address, local.rpc_port) == (cql_server.host, cql_server.port)
    assert isinstance(local.host_id, uuid.UUID)
    assert isinstance(local.schema_version, uuid.UUID)
    assert local.tokens and all(-(2**63) <= int(t) < 2**63 for t in local.tokens)


def test_schema_version_changes_on_ddl(admin_session, keyspace):
    def schema_version() -> uuid.UUID:
        return admin_session.execute("SELECT schema_version FROM system.local").one()[0]

    before = schema_version()
    admin_session.execute(f"CREATE TABLE {keyspace}.t (k int PRIMARY KEY)")
    after_create = schema_version()
    assert after_create != before
    admin_session.execute(f"ALTER TABLE {keyspace}.t ADD v text")
    assert schema_version() != after_create


@pytest.mark.parametrize("table", ["peers", "peers_v2"])
def test_single_node_has_no_peers(admin_session, table):
    assert list(admin_session.execute(f"SELECT * FROM system.{table}")) == []


@pytest.mark.parametrize("table", SCHEMA_TABLES)
def test_every_system_schema_table_is_readable(admin_session, table):
    selection = SELECTION.get(table, "*")
    rows = list(admin_session.execute(f"SELECT {selection} FROM system_schema.{table}"))
    if table in ("keyspaces", "tables", "columns"):
        assert {row.keyspace_name for row in rows} >= {"system", "system_schema"}


def test_tables_and_columns_describe_a_new_table(admin_session, keyspace):
    admin_session.execute(
        f"CREATE TABLE {keyspace}.t (p int, c text, v list<int>, PRIMARY KEY (p, c))"
        " WITH CLUSTERING ORDER BY (c DESC)"
    )
    tables = admin_session.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s",
        [keyspace],
    )
    assert [row.table_name for row in tables] == ["t"]
    columns = admin_session.execute(
        "SELECT column_name, kind, position, clustering_order, type"
        " FROM system_schema.columns WHERE keyspace_name = %s AND table_name = 't'",
        [keyspace],
    )
    assert sorted(tuple(row) for row in columns) == [
        ("c", "clustering", 0, "desc", "text"),
        ("p", "partition_key", 0, "none", "int"),
        ("v", "regular", -1, "none", "list<int>"),
    ]


def test_replication_reported_with_qualified_class(admin_session, keyspace):
    def replication(name: str) -> dict[str, str]:
        row = admin_session.execute(
            "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = %s",
            [name],
        ).one()
        return dict(row.replication)

    assert replication(keyspace) == {
        "class": "org.apache.cassandra.locator.SimpleStrategy",
        "replication_factor": "1",
    }
    assert replication("system") == {"class": "org.apache.cassandra.locator.LocalStrategy"}
    nts = f"{keyspace}_nts"
    admin_session.execute(
        f"CREATE KEYSPACE {nts} WITH replication = "
        "{'class': 'NetworkTopologyStrategy', 'datacenter1': 1}"
    )
    try:
        assert replication(nts) == {
            "class": "org.apache.cassandra.locator.NetworkTopologyStrategy",
            "datacenter1": "1",
        }
    finally:
        admin_session.execute(f"DROP KEYSPACE {nts}")
