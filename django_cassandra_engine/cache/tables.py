"""The tables of CassandraCache caches: which exist in CACHES, in which database, and their CQL.

A cache's table (its LOCATION) lives in the keyspace of its database (``OPTIONS["database"]``,
else the default Cassandra database). ``sync_cassandra`` (so ``migrate``) creates the tables
of a database's caches, and so does ``createcachetable``; both leave existing tables as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cassandra.metadata import protect_name
from django.conf import settings
from django.utils.module_loading import import_string

from django_cassandra_engine import utils

DEFAULT_TABLE = "django_cache"


@dataclass(frozen=True)
class CacheTable:
    database: str | None  # a DATABASES alias
    table: str


def table_of(location: str | None, options: dict[str, Any] | None) -> CacheTable:
    """Where a cache with this LOCATION and OPTIONS keeps its entries."""
    database = (options or {}).get("database") or utils.default_cassandra_alias()
    return CacheTable(database, location or DEFAULT_TABLE)


def cassandra_cache_tables() -> list[CacheTable]:
    """Every CassandraCache in settings.CACHES, with its database and table."""
    from django_cassandra_engine.cache.backend import CassandraCache

    found = []
    for params in settings.CACHES.values():
        try:
            backend = import_string(params.get("BACKEND", ""))
        except ImportError:
            continue
        if isinstance(backend, type) and issubclass(backend, CassandraCache):
            found.append(table_of(params.get("LOCATION"), params.get("OPTIONS")))
    return found


def create_table_cql(keyspace: str, table: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {protect_name(keyspace)}.{protect_name(table)} "
        "(cache_key text PRIMARY KEY, value blob) "
        "WITH comment = 'Django cache (django_cassandra_engine.cache.CassandraCache)'"
    )


def create_cache_table(database: str, table: str, dry_run: bool = False) -> str:
    """Creates a cache table in ``database``'s keyspace (if missing); returns its CQL."""
    from django.db import connections

    connection = connections[database]
    cql = create_table_cql(connection.keyspace, table)
    if not dry_run:
        with connection.schema_editor() as editor:
            editor.execute(cql)
    return cql


def tables_in(database: str) -> list[str]:
    """The cache tables of the CassandraCache caches stored in ``database``."""
    return sorted({t.table for t in cassandra_cache_tables() if t.database == database})
