"""cqlengine, the object mapper the Django backend is built on, against each target."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.cqlengine import columns, connection, management
from cassandra.cqlengine.models import Model
from cassandra.cqlengine.query import DoesNotExist

os.environ.setdefault("CQLENG_ALLOW_SCHEMA_MANAGEMENT", "1")


class Person(Model):
    __table_name__ = "person"
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    name = columns.Text()
    age = columns.Integer()


class PersonWithEmail(Model):
    """The same table one sync later: a column added."""

    __table_name__ = "person"
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    name = columns.Text()
    age = columns.Integer()
    email = columns.Text()


class PersonIndexed(Model):
    """The same table two syncs later: `email` gets a secondary index."""

    __table_name__ = "person"
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    name = columns.Text()
    age = columns.Integer()
    email = columns.Text(index=True)


class Reading(Model):
    """Composite partition key, two clustering columns in opposite orders."""

    __table_name__ = "reading"
    sensor = columns.Text(partition_key=True)
    day = columns.Integer(partition_key=True)
    hour = columns.Integer(primary_key=True, clustering_order="ASC")
    seq = columns.Integer(primary_key=True, clustering_order="DESC")
    value = columns.Double()


class Row(Model):
    __table_name__ = "row"
    part = columns.Integer(partition_key=True)
    item = columns.Integer(primary_key=True)
    payload = columns.Text()


@pytest.fixture
def mapper(cql_server, keyspace) -> Iterator[str]:
    """cqlengine's default connection on the endpoint, with the test's keyspace as default."""
    options = {"port": cql_server.port}
    if cql_server.username:
        options["auth_provider"] = cql_server.cluster().auth_provider
    connection.setup([cql_server.host], keyspace, **options)
    yield keyspace
    connection.unregister_connection("default")


def table_columns(name: str, keyspace: str) -> set[str]:
    cluster = connection.get_cluster()
    cluster.refresh_table_metadata(keyspace, name)
    return set(cluster.metadata.keyspaces[keyspace].tables[name].columns)


def test_create_keyspace_simple(mapper):
    name = f"{mapper}_made"
    management.create_keyspace_simple(name, 1)
    try:
        ks = connection.get_cluster().metadata.keyspaces[name]
        assert ks.replication_strategy.replication_factor == 1
    finally:
        management.drop_keyspace(name)
    assert name not in connection.get_cluster().metadata.keyspaces


def test_register_connection_with_own_session(cql_server, keyspace):
    cluster = cql_server.cluster()
    try:
        connection.register_connection("own", session=cluster.connect(keyspace))
        management.sync_table(Person, keyspaces=[keyspace], connections=["own"])
        Person.objects.using(connection="own", keyspace=keyspace).create(name="Ada", age=36)
        found = Person.objects.using(connection="own", keyspace=keyspace).all()
        assert [(p.name, p.age) for p in found] == [("Ada", 36)]
    finally:
        connection.unregister_connection("own")
        cluster.shutdown()


def test_sync_table_creates_then_adds_column_then_index(mapper):
    management.sync_table(Person)
    assert table_columns("person", mapper) == {"id", "name", "age"}
    Person.create(name="Grace", age=85)

    management.sync_table(PersonWithEmail)
    assert table_columns("person", mapper) == {"id", "name", "age", "email"}
    (grace,) = PersonWithEmail.objects.all()
    assert (grace.name, grace.email) == ("Grace", None)

    management.sync_table(PersonIndexed)
    table = connection.get_cluster().metadata.keyspaces[mapper].tables["person"]
    assert [index.index_options["target"] for index in table.indexes.values()] == ["email"]
    management.sync_table(PersonIndexed)  # a second sync of the same model changes nothing
    assert len(connection.get_cluster().metadata.keyspaces[mapper].tables["person"].indexes) == 1


def test_create_get_filter_update_delete(mapper):
    management.sync_table(PersonIndexed)
    ada = PersonIndexed.create(name="Ada", age=36, email="ada@example.com")
    PersonIndexed.create(name="Alan", age=41, email="alan@example.com")

    fetched = PersonIndexed.get(id=ada.id)
    assert (fetched.name, fetched.age, fetched.email) == ("Ada", 36, "ada@example.com")
    assert PersonIndexed.objects.filter(id=ada.id).count() == 1
    assert [p.name for p in PersonIndexed.objects.filter(email="alan@example.com")] == ["Alan"]

    fetched.update(age=37)
    assert PersonIndexed.get(id=ada.id).age == 37
    PersonIndexed.objects(id=ada.id).update(email="countess@example.com")
    assert PersonIndexed.get(id=ada.id).email == "countess@example.com"
    assert PersonIndexed.objects.filter(email="ada@example.com").count() == 0

    fetched.delete()
    with pytest.raises(DoesNotExist):
        PersonIndexed.get(id=ada.id)
    assert PersonIndexed.objects.count() == 1


def test_composite_partition_key_and_clustering_order(mapper):
    management.sync_table(Reading)
    for hour in (3, 1, 2):
        for seq in (1, 3, 2):
            Reading.create(sensor="s1", day=7, hour=hour, seq=seq, value=hour + seq / 10)
    Reading.create(sensor="s1", day=8, hour=1, seq=1, value=0.0)

    rows = Reading.objects.filter(sensor="s1", day=7)
    assert [(r.hour, r.seq) for r in rows] == [
        (1, 3),
        (1, 2),
        (1, 1),
        (2, 3),
        (2, 2),
        (2, 1),
        (3, 3),
        (3, 2),
        (3, 1),
    ]
    newest_first = Reading.objects.filter(sensor="s1", day=7).order_by("-hour")
    assert [(r.hour, r.seq) for r in newest_first][:3] == [(3, 1), (3, 2), (3, 3)]
    later = Reading.objects.filter(sensor="s1", day=7, hour__gt=1)
    assert [(r.hour, r.seq) for r in later] == [
        (2, 3),
        (2, 2),
        (2, 1),
        (3, 3),
        (3, 2),
        (3, 1),
    ]
    older = Reading.objects.filter(sensor="s1", day=7, hour=2, seq__lt=3)
    assert [(r.hour, r.seq) for r in older] == [(2, 2), (2, 1)]
    assert Reading.get(sensor="s1", day=7, hour=2, seq=3).value == pytest.approx(2.3)
    assert Reading.objects.filter(sensor="s1", day=8).count() == 1


def test_iterate_ten_thousand_rows_with_fetch_size_100(mapper):
    management.sync_table(Row)
    session = connection.get_session()
    insert = session.prepare(f"INSERT INTO {mapper}.row (part, item, payload) VALUES (?, ?, ?)")
    keys = [(part, item, f"p{part}-{item}") for part in range(100) for item in range(100)]
    results = execute_concurrent_with_args(session, insert, keys, concurrency=50)
    assert all(result.success for result in results)

    seen = [(r.part, r.item, r.payload) for r in Row.objects.all().fetch_size(100)]
    assert len(seen) == 10_000
    assert sorted(seen) == sorted(keys)
    one_partition = [r.item for r in Row.objects.filter(part=42).fetch_size(100)]
    assert one_partition == list(range(100))
