"""CassandraCache beyond Django's own cache tests (tests/cache/): what Cassandra does for it
(CQL TTLs, lightweight transactions) and how its tables are created."""

import asyncio
import threading

import pytest
from django.conf import settings as test_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import OperationalError, connections

from django_cassandra_engine.cache import CassandraCache
from django_cassandra_engine.orm import lwt

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def cache():
    cache = caches["cassandra"]
    yield cache
    cache.clear()


def cells(table="django_cache"):
    """(cache_key, TTL left) of every row of a cache table in the test keyspace."""
    connection = connections["default"]
    rows = connection.session.execute(
        f"SELECT cache_key, TTL(value) AS ttl FROM {connection.keyspace}.{table}"
    )
    return {row["cache_key"]: row["ttl"] for row in rows}


def tables_in_keyspace():
    connection = connections["default"]
    rows = connection.session.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s",
        (connection.keyspace,),
    )
    return {row["table_name"] for row in rows}


def run_together(count, action):
    """``action(i)`` in ``count`` threads started together; their results in order (an
    exception in a thread is raised here)."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def run(i):
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as error:  # raised below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_the_test_run_created_the_cache_table(cache):
    assert isinstance(cache, CassandraCache) and "django_cache" in tables_in_keyspace()
    cache.set("k", "v")
    assert cache.get("k") == "v"


def test_timeouts_are_cql_ttls(cache):
    cache.set("minute", 1, timeout=60)
    cache.set("forever", 1, timeout=None)
    cache.set("default", 1)  # TIMEOUT defaults to 300 s
    cache.add("added", 1, timeout=120)
    ttls = cells()
    assert 59 <= ttls[":1:minute"] <= 61  # at least the timeout (whole seconds, see _ttl)
    assert ttls[":1:forever"] is None
    assert 299 <= ttls[":1:default"] <= 301
    assert 119 <= ttls[":1:added"] <= 121
    assert cache.touch("minute", timeout=1000) is True
    assert 999 <= cells()[":1:minute"] <= 1001
    assert cache.incr("minute", 5) == 6
    assert 990 <= cells()[":1:minute"] <= 1001  # incr keeps what is left of the lifetime
    cache.set("gone", 1, timeout=0)
    assert ":1:gone" not in cells()


def test_add_is_atomic(cache):
    results = run_together(8, lambda i: cache.add("contested", f"writer {i}"))
    assert results.count(True) == 1
    assert cache.get("contested") == f"writer {results.index(True)}"


def test_incr_is_atomic(cache):
    cache.set("counter", 0)
    outcomes = run_together(6, lambda i: [incr_outcome(cache, "counter") for _ in range(5)])
    done = sum(outcome.count("done") for outcome in outcomes)
    unknown = sum(outcome.count("unknown") for outcome in outcomes)
    assert done + unknown == 30
    if not test_settings.ON_CLUSTER:
        assert unknown == 0  # one node always knows a transaction's outcome
    # Each increment that returned counts exactly once; one whose outcome Cassandra could not
    # tell (possible with a replica down) counts at most once.
    assert done <= cache.get("counter") <= done + unknown


def incr_outcome(cache, key):
    """ "done" once ``cache.incr(key)`` returns; "unknown" if it raised an OperationalError for
    a lightweight transaction whose outcome is unknown (make test-cluster: with a replica down
    a contended Paxos proposal may reach one replica of the two needed)."""
    try:
        cache.incr(key)
    except OperationalError as error:
        if not lwt.outcome_unknown(error):
            raise
        return "unknown"
    return "done"


def test_delete_says_whether_there_was_an_entry(cache):
    cache.set("here", 1)
    assert cache.delete("here") is True
    assert cache.delete("here") is False


def test_a_transaction_right_after_a_set_is_not_shadowed_by_it(cache):
    # Cassandra's Paxos timestamps have millisecond granularity, the driver's microsecond: a
    # delete, touch or incr in the millisecond of the set before it must still win.
    for i in range(100):
        cache.set(f"fresh{i}", "value", 30)
        assert cache.delete(f"fresh{i}") is True
        assert cache.get(f"fresh{i}") is None
        cache.set(f"fresh{i}", 1, 1)
        assert cache.incr(f"fresh{i}") == 2
        assert cache.touch(f"fresh{i}", 0) is True
        assert cache.get(f"fresh{i}") is None


def test_async_methods(cache):
    async def use():
        await cache.aset("async", {"a": 1})
        assert await cache.aadd("async", 2) is False
        assert await cache.aget_many(["async", "missing"]) == {"async": {"a": 1}}
        return await cache.aget("async")

    assert asyncio.run(use()) == {"a": 1}


@pytest.mark.django_db(databases=["default", "cassandra2"])
def test_sync_cassandra_and_createcachetable_create_cache_tables(settings, capsys):
    settings.CACHES = {
        **settings.CACHES,
        "synced": {
            "BACKEND": "django_cassandra_engine.cache.CassandraCache",
            "LOCATION": "synced_cache",
            "OPTIONS": {"database": "default"},
        },
        "other": {
            "BACKEND": "django_cassandra_engine.cache.CassandraCache",
            "LOCATION": "second_db_cache",
            "OPTIONS": {"database": "cassandra2"},
        },
    }
    call_command("sync_cassandra", database="default")
    assert "Creating cache table" in capsys.readouterr().out
    assert {"django_cache", "synced_cache"} <= tables_in_keyspace()

    call_command("createcachetable", "named_cache", database="default", dry_run=True)
    out = capsys.readouterr().out
    assert "CREATE TABLE IF NOT EXISTS" in out and "named_cache" in out
    assert "named_cache" not in tables_in_keyspace()
    call_command("createcachetable", "named_cache", database="default")
    assert "named_cache" in tables_in_keyspace()

    second = connections["cassandra2"]
    call_command("createcachetable", database="cassandra2", verbosity=2)
    assert "'second_db_cache' created in database 'cassandra2'" in capsys.readouterr().out
    rows = second.session.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s",
        (second.keyspace,),
    )
    assert "second_db_cache" in {row["table_name"] for row in rows}
    assert "second_db_cache" not in tables_in_keyspace()


def test_a_cache_needs_a_cassandra_database():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="'sql', not an alias"):
        CassandraCache("t", {"OPTIONS": {"database": "sql"}})
