"""Emptying tables (orm/truncation.py): TRUNCATE, or, while a node of a cluster is down (when
Cassandra refuses TRUNCATE), deleting every partition at QUORUM. Here the deletion is called
directly, on any target; make test-cluster runs it through flush with a node killed."""

import pytest
from cassandra import InvalidRequest, Unavailable
from cassandra.cluster import NoHostAvailable
from cassandra.protocol import TruncateError
from django.db import NotSupportedError, connections

from django_cassandra_engine.orm import truncation

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def table():
    """A new table in the test keyspace, dropped afterwards: (session, keyspace, name)."""
    connection = connections["default"]
    session, keyspace = connection.session, connection.keyspace
    created = []

    def create(name, columns):
        session.execute(f"CREATE TABLE {keyspace}.{name} ({columns})", timeout=120)
        created.append(name)
        return session, keyspace, name

    yield create
    for name in created:
        session.execute(f"DROP TABLE IF EXISTS {keyspace}.{name}", timeout=120)


def test_deleting_partitions_empties_a_table_with_a_composite_partition_key(table):
    session, keyspace, name = table(
        "parts", "a int, b text, c int, s int static, v int, PRIMARY KEY ((a, b), c)"
    )
    for a in range(3):
        for c in range(2):
            session.execute(
                f"INSERT INTO {keyspace}.{name} (a, b, c, s, v) VALUES (%s, %s, %s, %s, %s)",
                (a, f"b{a}", c, a, c),
            )
    assert truncation.holds_rows(session, keyspace, name)
    assert truncation.delete_partitions(session, keyspace, name) == 3
    assert list(session.execute(f"SELECT * FROM {keyspace}.{name}")) == []
    assert not truncation.holds_rows(session, keyspace, name)


def test_a_counter_table_is_not_emptied_by_deletes(table):
    session, keyspace, name = table("hits", "page text PRIMARY KEY, n counter")
    session.execute(f"UPDATE {keyspace}.{name} SET n = n + 1 WHERE page = 'home'")
    with pytest.raises(NotSupportedError, match="counter table"):
        truncation.delete_partitions(session, keyspace, name)
    assert [row["n"] for row in session.execute(f"SELECT n FROM {keyspace}.{name}")] == [1]


def test_empty_empties_a_table_that_holds_rows(table):
    # TRUNCATE with every node up; on a cluster with a node down (make test-cluster), deletes.
    session, keyspace, name = table("plain", "k int PRIMARY KEY, v int")
    assert not truncation.empty(session, keyspace, name, delete_if_replica_down=True)
    session.execute(f"INSERT INTO {keyspace}.{name} (k, v) VALUES (1, 1)")
    assert truncation.empty(session, keyspace, name, delete_if_replica_down=True)
    assert not truncation.holds_rows(session, keyspace, name)


def test_the_answers_of_a_cluster_with_a_node_down_are_recognized():
    # What Cassandra 5.0 answers TRUNCATE and a read at ALL with one replica of three down
    # (the driver tries TRUNCATE on every host and reports NoHostAvailable).
    refused = TruncateError(
        0x1003, "Error during truncate: Cannot achieve consistency level ALL", {}
    )
    unavailable = Unavailable("Cannot achieve consistency level ALL", 0x0005, 3, 2)
    assert truncation.replica_down(
        NoHostAvailable("", {"127.0.0.1": refused, "127.0.0.3": refused})
    )
    assert truncation.replica_down(unavailable)
    assert not truncation.replica_down(InvalidRequest("unconfigured table"))
    assert not truncation.replica_down(NoHostAvailable("", {"127.0.0.1": OSError("refused")}))
