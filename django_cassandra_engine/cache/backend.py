"""CassandraCache: Django's cache framework on a Cassandra table.

Each entry is a row ``(cache_key text PRIMARY KEY, value blob)`` holding the pickled value,
written with a CQL TTL, so Cassandra expires entries itself (no culling, no expiry column).
``add`` and ``delete`` are lightweight transactions (``IF NOT EXISTS``, ``IF EXISTS``), so they
are atomic and report what they did; ``incr``/``decr`` and ``touch`` compare and set
(``IF value = ...``), keeping the entry's remaining lifetime.

Cassandra gives a lightweight transaction the timestamp of its Paxos ballot, which has
millisecond granularity (the coordinator's milliseconds x 1000), while a plain write carries the
driver's microsecond timestamp. A transaction in the same millisecond as a plain ``set`` of its
entry would get the lower timestamp and be shadowed by it: a ``delete`` that reports success yet
leaves the value. So every transaction here first reads the entry's ``WRITETIME`` and, when that
lies in the current millisecond, waits for the next one (2 ms at most).
"""

from __future__ import annotations

import math
import pickle
import random
import time
from collections.abc import Iterable, Iterator
from typing import Any

from cassandra.metadata import protect_name
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from django_cassandra_engine import utils
from django_cassandra_engine.cache.tables import table_of
from django_cassandra_engine.errors import django_errors
from django_cassandra_engine.orm import truncation

# Cassandra's largest TTL (20 years); longer timeouts are stored with it.
MAX_TTL = 630_720_000
# Keys per IN (...) read or delete: large multi-key operations go in slices.
KEYS_PER_QUERY = 100
# Compare-and-set attempts of incr/decr/touch before giving up under contention, and the longest
# pause between two (a random pause up to it, so contending writers stop colliding in step).
CAS_ATTEMPTS = 20
CAS_MAX_PAUSE_S = 0.05


class CassandraCache(BaseCache):
    """``CACHES = {"default": {"BACKEND": "django_cassandra_engine.cache.CassandraCache",
    "LOCATION": "django_cache", "OPTIONS": {"database": "default"}}}``: entries in the table
    LOCATION of the Cassandra database OPTIONS["database"] (default: the default Cassandra
    database). ``manage.py createcachetable`` or ``sync_cassandra`` creates the table."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        where = table_of(location, params.get("OPTIONS"))
        if where.database is None or not utils.is_cassandra(where.database):
            raise ImproperlyConfigured(
                f"CassandraCache needs a Cassandra database: OPTIONS['database'] is "
                f"{where.database!r}, not an alias of DATABASES with ENGINE "
                "'django_cassandra_engine'."
            )
        self.database = where.database
        self.table = where.table
        self._statements: dict[tuple, Any] = {}

    # Reading
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        row = self._execute("get", (key,)).one()
        return default if row is None else self._loads(row["value"])

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        by_cache_key = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = {}
        for chunk in _chunks(list(by_cache_key)):
            for row in self._execute("get_many", (chunk,)):
                found[by_cache_key[row["cache_key"]]] = self._loads(row["value"])
        return found

    def has_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._execute("has_key", (key,)).one() is not None

    # Writing
    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        ttl = self._ttl(timeout)
        if ttl is None:  # a timeout of 0 or less: the value is not kept
            self._execute("delete_many", ([key],))
        else:
            self._execute("set", (key, self._dumps(value), ttl))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        ttl = self._ttl(timeout)
        value = self._dumps(value)
        if ttl is None:
            return self._execute("has_key", (key,)).one() is None
        return self._execute("add", (key, value, ttl)).was_applied

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        ttl = self._ttl(timeout)
        keys = {
            self.make_and_validate_key(key, version=version): value for key, value in data.items()
        }
        if ttl is None:
            self._delete_keys(list(keys))
            return []
        statement = self._statement("set")
        session = self._session()
        with django_errors():
            futures = [
                session.execute_async(statement, (key, self._dumps(value), ttl))
                for key, value in keys.items()
            ]
            for future in futures:
                future.result()
        return []  # every write succeeded, or the error was raised

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        ttl = self._ttl(timeout)
        if ttl is None:
            return self._delete_entry(key)
        return self._compare_and_set(key, lambda value: value, lambda _: ttl) is not None

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        cache_key = self.make_and_validate_key(key, version=version)
        new = self._compare_and_set(cache_key, lambda value: value + delta, lambda left: left)
        if new is None:
            raise ValueError(f"Key '{key}' not found")
        return new

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._delete_entry(self.make_and_validate_key(key, version=version))

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        self._delete_keys([self.make_and_validate_key(key, version=version) for key in keys])

    def clear(self) -> None:
        # With a node down Cassandra refuses TRUNCATE; the entries are then deleted one by one
        # at QUORUM, as delete() does, so a cache stays clearable while the cluster serves.
        keyspace = connections[self.database].settings_dict["NAME"]
        with django_errors():
            truncation.empty(self._session(), keyspace, self.table, delete_if_replica_down=True)

    def close(self, **kwargs: Any) -> None:
        """Nothing to close: the database's driver session is shared and stays open."""

    # Compare and set
    def _compare_and_set(self, key: str, change: Any, new_ttl: Any) -> Any:
        """Writes ``change(value)`` with TTL ``new_ttl(seconds left)`` if the entry still holds
        what was read; returns the new value, or None if there is no entry."""
        for _ in range(CAS_ATTEMPTS):
            row = self._execute("get_with_ttl", (key,)).one()
            if row is None:
                return None
            new = change(self._loads(row["value"]))
            ttl = new_ttl(row["ttl"] or 0)
            _wait_past(row["written"])
            if self._execute(
                "compare_and_set", (ttl, self._dumps(new), key, row["value"])
            ).was_applied:
                return new
            time.sleep(random.uniform(0, CAS_MAX_PAUSE_S))
        raise RuntimeError(f"cache key {key!r} kept changing during {CAS_ATTEMPTS} attempts")

    def _delete_entry(self, key: str) -> bool:
        row = self._execute("get_write_time", (key,)).one()
        if row is None:
            return False
        _wait_past(row["written"])
        return self._execute("delete", (key,)).was_applied

    def _delete_keys(self, keys: list[str]) -> None:
        for chunk in _chunks(keys):
            self._execute("delete_many", (chunk,))

    # Values and lifetimes
    def _dumps(self, value: Any) -> bytes:
        return pickle.dumps(value, self.pickle_protocol)

    def _loads(self, data: bytes) -> Any:
        return pickle.loads(data)

    def _ttl(self, timeout: Any) -> int | None:
        """The CQL TTL for a Django timeout: 0 keeps the entry forever (timeout None), None means
        the entry must not be kept (a timeout of 0 or less)."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return 0
        if timeout <= 0:
            return None
        # Cassandra expires a cell at (the write's whole second) + TTL, up to a second early for
        # the time asked: one second more keeps every entry at least its timeout.
        return min(math.ceil(timeout) + 1, MAX_TTL)

    # CQL (the sessions' rows are dicts: cqlengine sets that row factory)
    QUERIES = {
        "get": "SELECT value FROM {table} WHERE cache_key = ?",
        "get_with_ttl": (
            "SELECT value, TTL(value) AS ttl, WRITETIME(value) AS written FROM {table} WHERE cache_key = ?"
        ),
        "get_write_time": "SELECT WRITETIME(value) AS written FROM {table} WHERE cache_key = ?",
        "get_many": "SELECT cache_key, value FROM {table} WHERE cache_key IN ?",
        "has_key": "SELECT cache_key FROM {table} WHERE cache_key = ?",
        "set": "INSERT INTO {table} (cache_key, value) VALUES (?, ?) USING TTL ?",
        "add": "INSERT INTO {table} (cache_key, value) VALUES (?, ?) IF NOT EXISTS USING TTL ?",
        "compare_and_set": (
            "UPDATE {table} USING TTL ? SET value = ? WHERE cache_key = ? IF value = ?"
        ),
        "delete": "DELETE FROM {table} WHERE cache_key = ? IF EXISTS",
        "delete_many": "DELETE FROM {table} WHERE cache_key IN ?",
    }

    def _execute(self, name: str, params: tuple) -> Any:
        with django_errors():
            return self._session().execute(self._statement(name), params)

    def _statement(self, name: str) -> Any:
        # Prepared once per session and keyspace: a test run swaps both.
        session, table = self._session(), self._qualified_table()
        prepared_for, statement = self._statements.get((table, name), (None, None))
        if prepared_for is not session:
            with django_errors():
                statement = session.prepare(self.QUERIES[name].format(table=table))
            self._statements[(table, name)] = (session, statement)
        return statement

    def _session(self) -> Any:
        return connections[self.database].session

    def _qualified_table(self) -> str:
        keyspace = connections[self.database].settings_dict["NAME"]
        return f"{protect_name(keyspace)}.{protect_name(self.table)}"


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), KEYS_PER_QUERY):
        yield items[start : start + KEYS_PER_QUERY]


def _wait_past(written_us: int | None) -> None:
    """Returns once this machine's clock is in a later millisecond than the write time
    ``written_us`` (microseconds): a transaction started then gets a higher Paxos timestamp.
    Waits 2 ms at most: a write time further ahead (another client's clock) cannot be waited out."""
    if written_us is None:
        return
    deadline = time.monotonic() + 0.002
    while time.time_ns() // 1_000_000 * 1000 <= written_us and time.monotonic() < deadline:
        time.sleep(0.0002)
