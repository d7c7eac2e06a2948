"""Schema changes on a Cassandra database: keyspaces; tables of Django models, changed by
``migrate`` (orm/ddl.py); tables of DjangoCassandraModel and cqlengine models, synced from the
model (``sync_cassandra``)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cassandra.cqlengine import management
from cassandra.metadata import protect_name
from django.db import NotSupportedError, OperationalError
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from django_cassandra_engine.errors import django_errors
from django_cassandra_engine.orm import ddl, uniqueness
from django_cassandra_engine.orm.tables import cql_name, is_django_model


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


# How long a schema change may take to reach every node that is up before the editor gives up.
# The driver waits max_schema_agreement_wait (10 s by default) after each change and then goes
# on regardless; the next statement of a migration would then fail on a node that has not seen
# the change ("table ... does not exist"), so the editor waits on, up to this long.
SCHEMA_AGREEMENT_WAIT_S = 120


def await_schema_agreement(cluster: Any) -> None:
    """Returns once every node that is up reports the same schema version; raises an
    OperationalError if they still differ after SCHEMA_AGREEMENT_WAIT_S. Does not wait if the
    connection's ``max_schema_agreement_wait`` is 0 or less (the driver's "never wait")."""
    if cluster.max_schema_agreement_wait <= 0:
        return
    with django_errors():
        agreed = cluster.control_connection.wait_for_schema_agreement(
            wait_time=SCHEMA_AGREEMENT_WAIT_S
        )
    if not agreed:
        raise OperationalError(
            f"The nodes' schema versions still differ {SCHEMA_AGREEMENT_WAIT_S} s after a "
            "schema change (see nodetool describecluster)."
        )


@contextmanager
def _schema_metadata(cluster: Any) -> Iterator[None]:
    """cqlengine's sync reads the driver's schema metadata; with ``schema_metadata_enabled:
    False`` in OPTIONS['connection'] it is turned on for the sync only."""
    enabled = cluster.schema_metadata_enabled
    cluster.schema_metadata_enabled = True
    try:
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


DDL_TIMEOUT_S = 120


def _unique_sets(together: Any) -> set[tuple[str, ...]]:
    return {tuple(fields) for fields in together or ()}


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """Keyspaces; Django models' tables through ``migrate``; cqlengine models' tables through
    ``sync_model``. CQL has no transactions: each statement applies on its own."""

    @property
    def sql_delete_table(self) -> str:
        # What code outside the editor runs (Django's migration tests drop their tables with
        # it): CQL has no CASCADE (nothing references a table), and the session has no
        # keyspace of its own (databases share it), so the name is qualified.
        return f"DROP TABLE {protect_name(self.connection.keyspace)}.%(table)s"

    def __init__(self, connection, collect_sql: bool = False, atomic: bool = False) -> None:
        super().__init__(connection, collect_sql=collect_sql, atomic=False)
        self.tables = ddl.TableEditor(self)

    def execute(self, sql: str, params: Any = ()) -> None:
        if self.collect_sql:
            self.collected_sql.append(sql if sql.endswith(";") else sql + ";")
            return
        session = self.connection.session
        with django_errors():
            # Schema changes wait for every node to agree; on a cluster that takes longer than
            # the driver's default request timeout allows.
            result = session.execute(
                sql, params or None, timeout=max(session.default_timeout, DDL_TIMEOUT_S)
            )
        if not result.response_future.is_schema_agreed:
            # (Also False after every change when the driver's schema metadata is off.)
            await_schema_agreement(self.connection.cluster)

    def quote_name(self, name: str) -> str:
        return protect_name(name)

    def quote_value(self, value: Any) -> str:
        return ddl.quote_literal(value)

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

    # cqlengine models (DjangoCassandraModel and plain ones)
    def sync_model(self, model, keyspace: str | None = None) -> None:
        """Creates the model's table, user types and indexes, or adds what is missing."""
        keyspace = keyspace or self.connection.keyspace
        cluster = self.connection.cluster
        with _schema_metadata(cluster), _schema_management_allowed(), django_errors():
            # cqlengine decides what to create from the driver's metadata, which may lag behind
            # the schema by any amount: metadata turned off, or a change whose agreement the
            # driver stopped waiting for (it then skips its refresh: a keyspace dropped and
            # created again would still show its old tables). Read afresh, once nodes agree.
            await_schema_agreement(cluster)
            cluster.refresh_schema_metadata(max_schema_agreement_wait=0)
            management.sync_table(model, keyspaces=[keyspace], connections=[self.connection.alias])
        # sync_table's statements went on after the driver's own wait, agreed or not.
        await_schema_agreement(cluster)

    # Tables
    def create_model(self, model) -> None:
        if not is_django_model(model):
            self.sync_model(model)
            return
        self.tables.create_table(model)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                self.create_model(field.remote_field.through)

    def delete_model(self, model, keyspace: str | None = None) -> None:
        if not is_django_model(model):
            keyspace = keyspace or self.connection.keyspace
            table = model.column_family_name(include_keyspace=False)
            self.execute(f"DROP TABLE IF EXISTS {self.quote_name(keyspace)}.{table}")
            return
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                self.delete_model(field.remote_field.through)
        self.tables.drop_table(model)

    def alter_db_table(self, model, old_db_table: str, new_db_table: str) -> None:
        if old_db_table == new_db_table or (
            self.connection.features.ignores_table_name_case
            and old_db_table.lower() == new_db_table.lower()
        ):
            return
        # CQL cannot rename a table: the rows move to a new one.
        self.tables.create_table(model, new_db_table)
        self.tables.copy_table(model, old_db_table, new_db_table)
        self.tables.execute(f"DROP TABLE IF EXISTS {self.tables.name(old_db_table)}")
        if model._meta.auto_field is not None and not self.collect_sql:
            self.tables._reset_sequence(cql_name(old_db_table))

    def alter_db_table_comment(self, model, old_db_table_comment, new_db_table_comment) -> None:
        comment = ddl.quote_literal(new_db_table_comment or "")
        self.tables.execute(
            f"ALTER TABLE {self.tables.name(model._meta.db_table)} WITH comment = {comment}"
        )

    def alter_db_tablespace(self, model, old_db_tablespace, new_db_tablespace) -> None:
        pass  # Cassandra has no tablespaces

    # Fields
    def add_field(self, model, field) -> None:
        if field.many_to_many and field.remote_field.through._meta.auto_created:
            self.create_model(field.remote_field.through)
            return
        self.tables.add_column(model, field)

    def remove_field(self, model, field) -> None:
        if field.many_to_many and field.remote_field.through._meta.auto_created:
            self.delete_model(field.remote_field.through)
            return
        self.tables.drop_column(model, field)

    def alter_field(self, model, old_field, new_field, strict: bool = False) -> None:
        if not self._field_should_be_altered(old_field, new_field):
            return
        old_type = old_field.db_type(self.connection)
        new_type = new_field.db_type(self.connection)
        if old_type is None and new_type is None:
            if old_field.many_to_many and new_field.many_to_many:
                self._alter_many_to_many(model, old_field, new_field, strict)
            return
        table = model._meta.db_table
        if old_type is None or new_type is None:
            raise NotSupportedError(
                f"Cannot alter {table}.{old_field.column} between a many-to-many field and a "
                "column."
            )
        if old_field.primary_key != new_field.primary_key:
            raise NotSupportedError(
                f"CQL cannot change the primary key of {table} (the partition key is fixed "
                "when the table is created)."
            )
        new_model = getattr(new_field, "model", None) or model  # a field not on a model yet
        if old_field.column != new_field.column:
            if old_type != new_type and old_field.primary_key:
                raise NotSupportedError(
                    f"CQL cannot change the type of the primary key column {table}."
                    f"{old_field.column} from {old_type} to {new_type}."
                )
            self.tables.rename_column(model, old_field, new_field, new_model)
        elif old_type != new_type:
            raise NotSupportedError(
                f"CQL cannot change the type of {table}.{old_field.column} from {old_type} to "
                f"{new_type}. Add a new field, copy the values in a data migration, then "
                "remove the old field."
            )
        if old_field.null and not new_field.null:
            default = self.effective_default(new_field)
            if default is not None and not self.collect_sql:
                self.tables.fill(new_model, {new_field.column: default}, only_null=new_field.column)
        if new_field.unique and not old_field.unique and not new_field.primary_key:
            self.tables.claim_existing(new_model, (new_field.column,), new_field.name)
        if old_field.unique and not new_field.unique and not old_field.primary_key:
            self.tables.forget_claims(uniqueness.Constraint(table, (old_field.column,), "").scope)
        if not new_field.primary_key:
            self.tables.sync_column_index(new_model, new_field)

    def _alter_many_to_many(self, model, old_field, new_field, strict) -> None:
        old_through = old_field.remote_field.through
        new_through = new_field.remote_field.through
        if old_through._meta.db_table != new_through._meta.db_table:
            self.alter_db_table(new_through, old_through._meta.db_table, new_through._meta.db_table)
        # The column pointing at the model itself may be renamed too (a renamed model).
        self.alter_field(
            new_through,
            old_through._meta.get_field(old_field.m2m_reverse_field_name()),
            new_through._meta.get_field(new_field.m2m_reverse_field_name()),
        )
        self.alter_field(
            new_through,
            old_through._meta.get_field(old_field.m2m_field_name()),
            new_through._meta.get_field(new_field.m2m_field_name()),
        )

    # Indexes and constraints
    def add_index(self, model, index) -> None:
        if not index.fields:
            return  # expression indexes: supports_expression_indexes is False
        column = model._meta.get_field(index.fields[0].lstrip("-")).column
        name = index.name or f"{model._meta.db_table}_{column}_idx"
        self.tables.create_index(model._meta.db_table, column, name[:48])

    def remove_index(self, model, index) -> None:
        if not index.fields:
            return
        column = model._meta.get_field(index.fields[0].lstrip("-")).column
        remaining = [i for i in model._meta.indexes if i.name != index.name]
        if column in _indexed_without(model, remaining):
            return  # still wanted (db_index, unique, a foreign key, another index)
        self.tables.drop_indexes(model._meta.db_table, column)

    def rename_index(self, model, old_index, new_index) -> None:
        pass  # indexes are found by column, not by name; CQL cannot rename them

    def alter_index_together(self, model, old_index_together, new_index_together) -> None:
        for fields in _unique_sets(new_index_together) - _unique_sets(old_index_together):
            column = model._meta.get_field(fields[0]).column
            self.tables.create_index(
                model._meta.db_table, column, f"{model._meta.db_table}_{column}_idx"[:48]
            )

    def alter_unique_together(self, model, old_unique_together, new_unique_together) -> None:
        old, new = _unique_sets(old_unique_together), _unique_sets(new_unique_together)
        table = model._meta.db_table
        for fields in old - new:
            columns = tuple(model._meta.get_field(f).column for f in fields)
            self.tables.forget_claims(uniqueness.Constraint(table, columns, "").scope)
        for fields in new - old:
            columns = tuple(model._meta.get_field(f).column for f in fields)
            self.tables.claim_existing(model, columns, ", ".join(fields))

    def add_constraint(self, model, constraint) -> None:
        columns = self._unique_columns(model, constraint)
        if columns:
            self.tables.claim_existing(model, columns, constraint.name)
        # Check constraints and conditional unique constraints are not enforced (features).

    def remove_constraint(self, model, constraint) -> None:
        columns = self._unique_columns(model, constraint)
        if columns:
            scope = uniqueness.Constraint(model._meta.db_table, columns, "").scope
            self.tables.forget_claims(scope)

    @staticmethod
    def _unique_columns(model, constraint) -> tuple[str, ...] | None:
        fields = getattr(constraint, "fields", None)
        if (
            type(constraint).__name__ != "UniqueConstraint"
            or not fields
            or constraint.condition is not None
        ):
            return None
        return tuple(model._meta.get_field(f).column for f in fields)


def _indexed_without(model, indexes) -> dict[str, str]:
    from django_cassandra_engine.orm.tables import indexed_columns

    original = model._meta.indexes
    try:
        model._meta.indexes = indexes
        return indexed_columns(model)
    finally:
        model._meta.indexes = original
