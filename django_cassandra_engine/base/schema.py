"""Schema changes on a Cassandra database: keyspaces, and tables synced from models."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cassandra.cqlengine import management
from cassandra.metadata import protect_name
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from django_cassandra_engine.errors import django_errors


@contextmanager
def _schema_management_allowed() -> Iterator[None]:
    # cqlengine warns on every sync unless this variable is set; syncing is what we are asked.
    previous = os.environ.get(management.CQLENG_ALLOW_SCHEMA_MANAGEMENT)
    os.environ[management.CQLENG_ALLOW_SCHEMA_MANAGEMENT] = "1"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        if previous is None:
            os.environ.pop(management.CQLENG_ALLOW_SCHEMA_MANAGEMENT, None)
        else:
            os.environ[management.CQLENG_ALLOW_SCHEMA_MANAGEMENT] = previous


@contextmanager
def _schema_metadata(cluster: Any) -> Iterator[None]:
    """cqlengine's sync reads the driver's schema metadata; with ``schema_metadata_enabled:
    False`` in OPTIONS['connection'] it is turned on for the sync only."""
    enabled = cluster.schema_metadata_enabled
    cluster.schema_metadata_enabled = True
    try:
        if not enabled:
            cluster.refresh_schema_metadata()  # what is known may be stale by any amount
        yield
    finally:
        cluster.schema_metadata_enabled = enabled


def replication_map(options: dict[str, Any]) -> dict[str, Any]:
    """CQL replication from ``OPTIONS['replication']`` (``strategy_class`` plus either
    ``replication_factor`` or one replication factor per data centre)."""
    replication = dict(options or {})
    strategy = replication.pop("strategy_class", None) or replication.pop("class", "SimpleStrategy")
    if strategy.rsplit(".", 1)[-1] == "SimpleStrategy":
        return {
            "class": "SimpleStrategy",
            "replication_factor": replication.get("replication_factor", 1),
        }
    replication.pop("replication_factor", None) if len(replication) > 1 else None
    return {"class": strategy, **replication}


def _cql_map(values: dict[str, Any]) -> str:
    items = ", ".join(
        f"'{key}': {value!r}" if not isinstance(value, str) else f"'{key}': '{value}'"
        for key, value in values.items()
    )
    return "{" + items + "}"


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    def __init__(self, connection, collect_sql: bool = False, atomic: bool = False) -> None:
        super().__init__(connection, collect_sql=collect_sql, atomic=False)

    def execute(self, sql: str, params: Any = ()) -> None:
        if self.collect_sql:
            self.collected_sql.append(sql if sql.endswith(";") else sql + ";")
            return
        with django_errors():
            self.connection.session.execute(sql, params or None)

    def quote_name(self, name: str) -> str:
        return protect_name(name)

    # Keyspaces
    def create_keyspace(self, keyspace: str | None = None) -> str:
        keyspace = keyspace or self.connection.keyspace
        options = self.connection.settings_dict.get("OPTIONS") or {}
        replication = replication_map(options.get("replication") or {})
        durable = "" if options.get("durable_writes", True) else " AND durable_writes = false"
        cql = (
            f"CREATE KEYSPACE IF NOT EXISTS {self.quote_name(keyspace)} "
            f"WITH replication = {_cql_map(replication)}{durable}"
        )
        self.execute(cql)
        return cql

    def drop_keyspace(self, keyspace: str) -> None:
        self.execute(f"DROP KEYSPACE IF EXISTS {self.quote_name(keyspace)}")

    # Tables
    def sync_model(self, model, keyspace: str | None = None) -> None:
        """Creates the model's table, user types and indexes, or adds what is missing."""
        keyspace = keyspace or self.connection.keyspace
        cluster = self.connection.cluster
        with _schema_metadata(cluster), _schema_management_allowed(), django_errors():
            cluster.refresh_keyspace_metadata(keyspace)
            management.sync_table(model, keyspaces=[keyspace], connections=[self.connection.alias])

    def create_model(self, model) -> None:
        self.sync_model(model)

    def delete_model(self, model, keyspace: str | None = None) -> None:
        keyspace = keyspace or self.connection.keyspace
        table = model.column_family_name(include_keyspace=False)
        self.execute(f"DROP TABLE IF EXISTS {self.quote_name(keyspace)}.{table}")
