"""The rows a test database holds after ``migrate``, put back when ``flush`` empties a table
between tests.

Django's TestCase rolls each test back on a database with transactions. Cassandra has none,
so Django flushes every table after each test and sends ``post_migrate`` again, which
recreates the content types and permissions one lightweight transaction at a time, hundreds
of them per test. Instead, the rows of Django models' tables right after the test database is
migrated (content types, permissions, sites, and their unique values) are kept in memory, and
a table truncated between tests gets them back as they were, with the same primary keys, as
a rollback would leave them; ``post_migrate`` then finds them and writes nothing. Only while
tests run; ``manage.py flush`` on a live database truncates as usual.
"""

from __future__ import annotations

import threading
from typing import Any

from cassandra.metadata import protect_name

from django_cassandra_engine.orm.cql import Session

_lock = threading.Lock()
_rows: dict[str, dict[str, tuple[list[str], list[list[Any]]]]] = {}  # alias -> table -> rows


def _columns(session: Session, table: str) -> list[str]:
    result = session.execute(
        "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
        [session.keyspace, table],
    )
    return [r["column_name"] if isinstance(r, dict) else r[0] for r in result]


def take(connection: Any, tables: set[str]) -> None:
    """Keeps the rows of ``tables`` (those that exist) of the database as they are now."""
    session = Session(connection)
    existing = set(connection.introspection.table_names())
    kept: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for table in sorted(tables & existing):
        columns = _columns(session, table)
        names = ", ".join(protect_name(c) for c in columns)
        result = session.execute(f"SELECT {names} FROM {session.table(table)}")
        rows = [[r[c] for c in columns] if isinstance(r, dict) else list(r) for r in result]
        if rows:
            kept[table] = (columns, rows)
    with _lock:
        _rows[connection.alias] = kept


def restore(connection: Any, table: str) -> None:
    """Writes the kept rows of ``table`` back (after it was truncated)."""
    with _lock:
        entry = _rows.get(connection.alias, {}).get(table)
    if entry is None:
        return
    columns, rows = entry
    session = Session(connection)
    names = ", ".join(protect_name(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    cql = f"INSERT INTO {session.table(table)} ({names}) VALUES ({marks})"
    for _ in session.execute_each(cql, rows):
        pass


def forget(alias: str) -> None:
    with _lock:
        _rows.pop(alias, None)
