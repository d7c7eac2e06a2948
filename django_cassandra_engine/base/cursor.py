"""A DB-API style cursor over a driver session, for ``connection.cursor()`` and raw CQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from cassandra import InvalidRequest
from cassandra.query import SimpleStatement

from django_cassandra_engine.connection import CassandraConnection


class Cursor:
    arraysize = 100

    def __init__(self, handle: CassandraConnection, keyspace: str) -> None:
        self.handle = handle
        self.keyspace = keyspace
        self._rows: Iterator[Sequence[Any]] = iter(())
        self.description: list[tuple] | None = None
        self.rowcount = -1

    def _use_keyspace(self) -> None:
        # Raw CQL may name tables without a keyspace; cqlengine always qualifies them.
        session = self.handle.session
        if self.keyspace and session.keyspace != self.keyspace:
            try:
                session.set_keyspace(self.keyspace)
            except InvalidRequest:
                pass  # the keyspace does not exist yet (CREATE KEYSPACE is on its way)

    def execute(self, cql: str, params: Sequence[Any] | dict | None = None) -> Cursor:
        self._use_keyspace()
        statement = SimpleStatement(cql)
        result = self.handle.session.execute(statement, params)
        names = result.column_names or []
        self.description = [(name, None, None, None, None, None, None) for name in names] or None
        rows = list(result) if names else []
        self.rowcount = len(rows) if names else -1
        self._rows = iter(
            [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]
        )
        return self

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

    def close(self) -> None:
        self._rows = iter(())
