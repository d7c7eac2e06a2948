"""A DB-API style cursor over a driver session, for ``connection.cursor()`` and raw CQL.

``execute()`` also returns the statement's rows, as the original package's cursor did (the
driver's result, rows as dicts): ``cursor.execute("SELECT count(*) FROM t")[0]["count"]``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cassandra import InvalidRequest
from cassandra.query import SimpleStatement

if TYPE_CHECKING:
    from django_cassandra_engine.connection import CassandraConnection


class CursorResult(list):
    """The rows of one statement (as the session's row factory makes them: dicts), with the
    parts of the driver's ResultSet that code reads."""

    def __init__(self, rows: list[Any], column_names: list[str], was_applied: bool | None) -> None:
        super().__init__(rows)
        self.column_names = column_names
        self._was_applied = was_applied

    @property
    def current_rows(self) -> list[Any]:
        return list(self)

    @property
    def was_applied(self) -> bool | None:
        """For a conditional statement (IF ...), whether it was applied."""
        return self._was_applied

    def one(self) -> Any:
        return self[0] if self else None

    def all(self) -> list[Any]:
        return list(self)


def _was_applied(names: list[str], rows: list[Any]) -> bool | None:
    if not rows or not names or names[0] != "[applied]":
        return None  # not a conditional statement
    row = rows[0]
    return bool(row["[applied]"] if isinstance(row, dict) else row[0])


class Cursor:
    arraysize = 100

    def __init__(self, connection: CassandraConnection) -> None:
        self.connection = connection
        self._rows: Iterator[Sequence[Any]] = iter(())
        self.description: list[tuple] | None = None
        self.rowcount = -1

    def _use_keyspace(self) -> None:
        # Raw CQL may name tables without a keyspace; cqlengine always qualifies them.
        session = self.connection.session
        keyspace = self.connection.keyspace
        if keyspace and session.keyspace != keyspace:
            try:
                session.set_keyspace(keyspace)
            except InvalidRequest:
                pass  # the keyspace does not exist yet (CREATE KEYSPACE is on its way)

    def execute(self, cql: str, params: Sequence[Any] | dict | None = None) -> CursorResult:
        self._use_keyspace()
        if not cql.lstrip()[:6].upper() == "SELECT":
            from django_cassandra_engine.orm import written

            written.wrote_anything(self.connection.keyspace or "")
        result = self.connection.session.execute(SimpleStatement(cql), params)
        names = list(result.column_names or [])
        rows = list(result) if names else []
        self.description = [(name, None, None, None, None, None, None) for name in names] or None
        self.rowcount = len(rows) if names else -1
        self._rows = iter(
            [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]
        )
        return CursorResult(rows, names, _was_applied(names, rows))

    def executemany(self, cql: str, param_list: Sequence[Any]) -> None:
        for params in param_list:
            self.execute(cql, params)

    def fetchone(self) -> Sequence[Any] | None:
        return next(self._rows, None)

    def fetchmany(self, size: int | None = None) -> list[Sequence[Any]]:
        size = size or self.arraysize
        return list(itertools.islice(self._rows, size))

    def fetchall(self) -> list[Sequence[Any]]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return self._rows

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._rows = iter(())
