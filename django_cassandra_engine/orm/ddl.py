"""Tables of Django models: what ``migrate`` does through the schema editor.

A model's table has its primary key as the partition key and one column per concrete field
(``DatabaseWrapper.data_types`` gives the CQL types); fields with ``db_index``, unique fields,
foreign keys and the first field of each ``Meta.indexes`` entry get a secondary index.
Uniqueness and ``AutoField`` values live in two tables of the keyspace (``uniqueness.py``,
``sequences.py``), created with the first model's table.

CQL cannot do everything SQL's ALTER TABLE does; the rest is done with data, in Python:
- a new column with a default (or a NOT NULL column, which gets Django's empty value) is
  filled in for existing rows; a column turned NOT NULL gets the default where it is NULL;
- renaming a column that is not in the primary key adds the new column, copies the values and
  drops the old one (CQL renames primary key columns only);
- renaming a table creates the new table, copies the rows and drops the old one;
- a new unique constraint claims the existing values (duplicates raise IntegrityError).
None of this is atomic: a failure part way leaves the work done so far. What CQL cannot change
at all fails with NotSupportedError when the migration runs: a column's type, the primary key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cassandra.metadata import protect_name
from django.db import NotSupportedError

from django_cassandra_engine.orm import sequences, uniqueness, written
from django_cassandra_engine.orm.cql import Budget, Reads, Session
from django_cassandra_engine.orm.tables import (
    TableInfo,
    cql_name,
    field_wants_index,
    forget_tables,
    index_name,
    indexed_columns,
    primary_key_columns,
    table_info,
)


def column_type(editor: Any, field: Any) -> str | None:
    return field.db_type(editor.connection)


def quote_literal(value: Any) -> str:
    """A value as a CQL literal (for sqlmigrate output and comments)."""
    import datetime
    import uuid
    from decimal import Decimal

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        value = value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"


class TableEditor:
    """DDL and data changes of Django models' tables for one schema editor."""

    def __init__(self, editor: Any) -> None:
        self.editor = editor
        self.connection = editor.connection
        self._internal_ready = False

    @property
    def session(self) -> Session:
        return Session(self.connection)

    def name(self, table: str) -> str:
        table = cql_name(table)
        written.wrote(self.session.keyspace, table)
        return self.session.table(table)

    def execute(self, cql: str) -> None:
        self.editor.execute(cql)
        forget_tables()
        # Prepared statements of this process may describe the old columns.
        self.connection.connection.__dict__.pop("_prepared_statements", None)

    def note(self, text: str) -> None:
        """Work done in Python, shown in sqlmigrate output as a CQL comment."""
        if self.editor.collect_sql:
            self.editor.collected_sql.append(f"-- {text}")

    @property
    def collecting(self) -> bool:
        return self.editor.collect_sql

    # Tables
    def ensure_internal_tables(self) -> None:
        """The keyspace (``migrate`` may run without django_cassandra_engine in INSTALLED_APPS,
        whose command creates it) and the tables of unique values and sequences."""
        if self._internal_ready:
            return
        self.editor.create_keyspace()
        for template, table in (
            (uniqueness.CREATE_TABLE, uniqueness.TABLE),
            (sequences.CREATE_TABLE, sequences.TABLE),
        ):
            self.execute(template.format(table=self.name(table)))
        self._internal_ready = True

    def create_table(self, model: Any, table: str | None = None) -> None:
        meta = model._meta
        table = table or meta.db_table
        columns = []
        for field in meta.local_concrete_fields:
            cql_type = column_type(self.editor, field)
            if cql_type is not None:
                columns.append(f"{protect_name(field.column)} {cql_type}")
        key = ", ".join(protect_name(c) for c in primary_key_columns(model))
        cql = f"CREATE TABLE {self.name(table)} ({', '.join(columns)}, PRIMARY KEY (({key})))"
        comment = getattr(meta, "db_table_comment", None)
        if comment:
            cql += f" WITH comment = {quote_literal(comment)}"
        self.ensure_internal_tables()
        self.execute(cql)
        for column, index in indexed_columns(model).items():
            self.create_index(table, column, index)

    def drop_table(self, model: Any, table: str | None = None) -> None:
        table = table or model._meta.db_table
        self.execute(f"DROP TABLE IF EXISTS {self.name(table)}")
        if self.collecting:
            return
        if model._meta.auto_field is not None:
            self._reset_sequence(cql_name(table))
        for constraint in uniqueness.constraints(model):
            self.forget_claims(_scope(table, constraint.columns))

    def _reset_sequence(self, table: str) -> None:
        if self.table_exists(sequences.TABLE):
            sequences.reset(self.session, table)

    # Indexes
    def table_indexes(self, table: str) -> dict[str, list[str]]:
        """The secondary indexes of a table, by the column each indexes."""
        if self.collecting:
            return {}
        result = self.session.execute(
            "SELECT index_name, options FROM system_schema.indexes "
            "WHERE keyspace_name = ? AND table_name = ?",
            [self.session.keyspace, cql_name(table)],
        )
        found: dict[str, list[str]] = {}
        for row in result:
            row = dict(row) if not isinstance(row, dict) else row
            target = (row["options"] or {}).get("target", "")
            column = target[1:-1].replace('""', '"') if target.startswith('"') else target
            found.setdefault(column, []).append(row["index_name"])
        return found

    def create_index(self, table: str, column: str, name: str) -> None:
        if self.table_indexes(table).get(column):
            return  # CQL refuses a second index on the same column
        self.execute(
            f"CREATE INDEX IF NOT EXISTS {protect_name(cql_name(name))} "
            f"ON {self.name(table)} ({protect_name(column)})"
        )

    def drop_indexes(self, table: str, column: str) -> None:
        for name in self.table_indexes(table).get(column, []):
            self.execute(f"DROP INDEX IF EXISTS {self.name(name)}")

    def sync_column_index(self, model: Any, field: Any) -> None:
        """Creates or drops the field's index as its definition (and the model's
        Meta.indexes) asks."""
        table = model._meta.db_table
        if field_wants_index(model, field):
            self.create_index(table, field.column, index_name(table, field.column))
        else:
            self.drop_indexes(table, field.column)

    # Columns
    def add_column(self, model: Any, field: Any) -> None:
        cql_type = column_type(self.editor, field)
        if cql_type is None:
            return
        table = model._meta.db_table
        self.execute(f"ALTER TABLE {self.name(table)} ADD {protect_name(field.column)} {cql_type}")
        default = self.editor.effective_default(field)
        if default is not None:
            self.note(f"{table}.{field.column} set to {quote_literal(default)} in every row")
            self.fill(model, {field.column: default})
        if field.unique:
            self.claim_existing(model, (field.column,), field.name)
        self.sync_column_index(model, field)

    def drop_column(self, model: Any, field: Any) -> None:
        if column_type(self.editor, field) is None:
            return
        if field.primary_key:
            raise NotSupportedError(
                f"CQL cannot drop {model._meta.db_table}.{field.column}: it is the primary key."
            )
        table = model._meta.db_table
        self.drop_indexes(table, field.column)
        self.execute(f"ALTER TABLE {self.name(table)} DROP {protect_name(field.column)}")
        for constraint in uniqueness.constraints(model):
            if field.column in constraint.columns:
                self.forget_claims(constraint.scope)

    def rename_column(self, model: Any, old_field: Any, new_field: Any, new_model: Any) -> None:
        table = model._meta.db_table
        if old_field.primary_key:
            self.execute(
                f"ALTER TABLE {self.name(table)} RENAME {protect_name(old_field.column)} "
                f"TO {protect_name(new_field.column)}"
            )
            return
        cql_type = column_type(self.editor, new_field)
        self.execute(
            f"ALTER TABLE {self.name(table)} ADD {protect_name(new_field.column)} {cql_type}"
        )
        self.note(f"{table}.{old_field.column} copied to {new_field.column} in every row")
        self.copy_column(model, old_field, new_field)
        self.drop_indexes(table, old_field.column)
        self.execute(f"ALTER TABLE {self.name(table)} DROP {protect_name(old_field.column)}")
        self.sync_column_index(new_model, new_field)

    # Data
    def rows(self, model: Any, table: str | None = None) -> Iterator[dict[str, Any]]:
        """Every row of the model's table, paged, with no bound on the count."""
        info = table_info(model)
        if table is not None:
            info = TableInfo(
                info.model, table, info.columns, info.key, info.indexes, info.temporal, info.types
            )
        yield from Reads(self.session, Budget(None)).scan(info)

    def fill(self, model: Any, values: dict[str, Any], only_null: str | None = None) -> None:
        """Sets columns in every row (or in rows where ``only_null`` is NULL)."""
        if self.collecting:
            return
        info = table_info(model)
        key = " AND ".join(f"{protect_name(c)} = ?" for c in info.key)
        assignments = ", ".join(f"{protect_name(c)} = ?" for c in values)
        cql = f"UPDATE {self.name(info.name)} SET {assignments} WHERE {key}"
        params = (
            [*values.values(), *[record[c] for c in info.key]]
            for record in self._rows_of(model, info)
            if only_null is None or record.get(only_null) is None
        )
        for _ in self.session.execute_each(cql, params):
            pass

    def _rows_of(self, model: Any, info: TableInfo) -> Iterator[dict[str, Any]]:
        # Only the columns the table has now (the model may describe columns not added yet).
        existing = self.existing_columns(info.name)
        columns = tuple(c for c in info.columns if c in existing)
        narrowed = TableInfo(
            info.model, info.name, columns, info.key, info.indexes, info.temporal, info.types
        )
        yield from Reads(self.session, Budget(None)).scan(narrowed)

    def existing_columns(self, table: str) -> set[str]:
        result = self.session.execute(
            "SELECT column_name FROM system_schema.columns "
            "WHERE keyspace_name = ? AND table_name = ?",
            [self.session.keyspace, cql_name(table)],
        )
        return {r["column_name"] if isinstance(r, dict) else r[0] for r in result}

    def table_exists(self, table: str) -> bool:
        result = self.session.execute(
            "SELECT table_name FROM system_schema.tables "
            "WHERE keyspace_name = ? AND table_name = ?",
            [self.session.keyspace, cql_name(table)],
        )
        return result.one() is not None

    def copy_column(self, model: Any, old_field: Any, new_field: Any) -> None:
        if self.collecting:
            return
        info = table_info(model)
        key = " AND ".join(f"{protect_name(c)} = ?" for c in info.key)
        cql = f"UPDATE {self.name(info.name)} SET {protect_name(new_field.column)} = ? WHERE {key}"
        params = (
            [record[old_field.column], *[record[c] for c in info.key]]
            for record in self._rows_of(model, info)
            if record.get(old_field.column) is not None
        )
        for _ in self.session.execute_each(cql, params):
            pass

    def copy_table(self, model: Any, old_table: str, new_table: str) -> None:
        """Copies every row of ``old_table`` into ``new_table`` (same columns), claiming
        unique values under the new table's name."""
        if self.collecting:
            self.note(f"rows of {old_table} copied to {new_table}")
            return
        info = table_info(model)
        existing = self.existing_columns(old_table)
        columns = [c for c in info.columns if c in existing]
        source = TableInfo(
            info.model,
            cql_name(old_table),
            tuple(columns),
            info.key,
            info.indexes,
            info.temporal,
            info.types,
        )
        names = ", ".join(protect_name(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        cql = f"INSERT INTO {self.name(new_table)} ({names}) VALUES ({marks})"
        records = list(Reads(self.session, Budget(None)).scan(source))
        for _ in self.session.execute_each(cql, ([r.get(c) for c in columns] for r in records)):
            pass
        claims = uniqueness.Claims(self.session)
        for constraint in uniqueness.constraints(model):
            target = uniqueness.Constraint(new_table, constraint.columns, constraint.name)
            for record in records:
                value = target.value(record)
                if value is not None:
                    owner = uniqueness.owner_text(record, info)
                    claims.claim(target, value, owner, lambda _owner: True)
            self.forget_claims(_scope(old_table, constraint.columns))

    # Uniqueness
    def claim_existing(self, model: Any, columns: tuple[str, ...], name: str) -> None:
        if self.collecting:
            self.note(f"unique values of {model._meta.db_table}({', '.join(columns)}) claimed")
            return
        info = table_info(model)
        constraint = uniqueness.Constraint(info.name, columns, name)
        claims = uniqueness.Claims(self.session)
        taken = []
        try:
            for record in self._rows_of(model, info):
                value = constraint.value(record)
                if value is None:
                    continue
                owner = uniqueness.owner_text(record, info)
                claims.claim(constraint, value, owner, lambda _owner: True)
                taken.append((value, owner))
        except Exception:
            for value, owner in taken:
                claims.release(constraint, value, owner)
            raise

    def forget_claims(self, scope: str) -> None:
        if self.collecting or not self.table_exists(uniqueness.TABLE):
            return
        uniqueness.Claims(self.session).forget_scope(scope)


def _scope(table: str, columns: tuple[str, ...]) -> str:
    return uniqueness.Constraint(table, columns, "").scope
