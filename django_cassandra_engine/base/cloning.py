"""Copying a keyspace's tables, indexes and rows into another keyspace (test database clones
for parallel test runs), from ``system_schema``."""

from __future__ import annotations

from typing import Any

from cassandra.metadata import protect_name

from django_cassandra_engine.errors import django_errors


def _rows(session: Any, cql: str, *params: Any) -> list[dict[str, Any]]:
    result = session.execute(cql, params)
    names = list(result.column_names or ())
    return [r if isinstance(r, dict) else dict(zip(names, r, strict=True)) for r in result]


def _create_table(source: str, target: str, table: str, columns: list[dict[str, Any]]) -> str:
    partition = sorted(
        (c for c in columns if c["kind"] == "partition_key"), key=lambda c: c["position"]
    )
    clustering = sorted(
        (c for c in columns if c["kind"] == "clustering"), key=lambda c: c["position"]
    )
    definitions = []
    for column in columns:
        static = " static" if column["kind"] == "static" else ""
        definitions.append(f"{protect_name(column['column_name'])} {column['type']}{static}")
    key = "(" + ", ".join(protect_name(c["column_name"]) for c in partition) + ")"
    if clustering:
        key += ", " + ", ".join(protect_name(c["column_name"]) for c in clustering)
    cql = (
        f"CREATE TABLE {protect_name(target)}.{protect_name(table)} "
        f"({', '.join(definitions)}, PRIMARY KEY ({key}))"
    )
    if clustering:
        order = ", ".join(
            f"{protect_name(c['column_name'])} {c['clustering_order'].upper()}" for c in clustering
        )
        cql += f" WITH CLUSTERING ORDER BY ({order})"
    return cql


def clone_keyspace(connection: Any, source: str, target: str) -> None:
    session = connection.session
    with django_errors():
        for row in _system(session, "types", "type_name, field_names, field_types", source):
            fields = ", ".join(
                f"{protect_name(n)} {t}"
                for n, t in zip(row["field_names"], row["field_types"], strict=True)
            )
            name = f"{protect_name(target)}.{protect_name(row['type_name'])}"
            session.execute(f"CREATE TYPE IF NOT EXISTS {name} ({fields})")
        for row in _system(session, "tables", "table_name", source):
            table = row["table_name"]
            columns = [
                c
                for c in _system(
                    session,
                    "columns",
                    "table_name, column_name, kind, position, type, clustering_order",
                    source,
                )
                if c["table_name"] == table
            ]
            session.execute(_create_table(source, target, table, columns))
            _copy_rows(session, source, target, table, [c["column_name"] for c in columns])
        for index in _system(session, "indexes", "table_name, index_name, options", source):
            column = (index["options"] or {}).get("target", "")
            session.execute(
                f"CREATE INDEX IF NOT EXISTS {protect_name(index['index_name'])} ON "
                f"{protect_name(target)}.{protect_name(index['table_name'])} ({column})"
            )


def _system(session: Any, table: str, columns: str, keyspace: str) -> list[dict[str, Any]]:
    return _rows(
        session, f"SELECT {columns} FROM system_schema.{table} WHERE keyspace_name = %s", keyspace
    )


def _copy_rows(session: Any, source: str, target: str, table: str, columns: list[str]) -> None:
    names = ", ".join(protect_name(c) for c in columns)
    select = f"SELECT {names} FROM {protect_name(source)}.{protect_name(table)}"
    insert = session.prepare(
        f"INSERT INTO {protect_name(target)}.{protect_name(table)} ({names}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    for row in session.execute(select):
        values = [row[c] for c in columns] if isinstance(row, dict) else list(row)
        session.execute(insert, values)
