"""Running CQL for the engine: prepared statements (prepared once per process and keyspace),
paged reads, concurrent requests, rows as records in the database domain, and the bound on the
rows one query may read (``CASSANDRA_MAX_SCANNED_ROWS``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cassandra.metadata import protect_name
from cassandra.query import PreparedStatement
from django.conf import settings
from django.db import NotSupportedError

from django_cassandra_engine import querylog
from django_cassandra_engine.errors import django_errors
from django_cassandra_engine.orm import values
from django_cassandra_engine.orm.tables import TableInfo

DEFAULT_MAX_SCANNED_ROWS = 10_000
IN_BATCH = 100  # partition keys per IN restriction (Cassandra warns above ~100)
IN_FLIGHT = 32  # concurrent requests one query keeps in flight
FETCH_SIZE = 1000

_prepare_lock = threading.Lock()


def max_scanned_rows() -> int | None:
    limit = getattr(settings, "CASSANDRA_MAX_SCANNED_ROWS", DEFAULT_MAX_SCANNED_ROWS)
    return None if limit is None else int(limit)


class Budget:
    """The rows one query may read from Cassandra to evaluate in Python."""

    def __init__(self, limit: int | None, advice: str = "") -> None:
        self.limit = limit
        self.advice = advice
        self.read = 0

    def spend(self, table: str, count: int = 1) -> None:
        self.read += count
        if self.limit is not None and self.read > self.limit:
            raise NotSupportedError(
                f"This query read more than {self.limit} rows (table {table}) to answer in "
                f"Python, past CASSANDRA_MAX_SCANNED_ROWS. {self.advice}".rstrip()
            )


def qualified(keyspace: str, table: str) -> str:
    return f"{protect_name(keyspace)}.{protect_name(table)}"


def shown(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) > 10:
        return repr(list(value[:10]))[:-1] + ", ...]"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


class Session:
    """CQL on one Django database, in its current keyspace (the test keyspace in tests)."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper
        self.handle = wrapper.connection
        self.keyspace = wrapper.keyspace
        self.consistency = wrapper.config.consistency

    @property
    def driver(self) -> Any:
        return self.handle.session

    def table(self, name: str) -> str:
        return qualified(self.keyspace, name)

    def prepare(self, cql: str) -> PreparedStatement:
        cache = self.handle.__dict__.setdefault("_prepared_statements", {})
        key = (self.keyspace, cql)
        statement = cache.get(key)
        if statement is None:
            with _prepare_lock, django_errors():
                statement = cache.get(key) or self.driver.prepare(cql)
            if self.consistency is not None:
                statement.consistency_level = self.consistency
            cache[key] = statement
        return statement

    def _bound(self, cql: str, params: Sequence[Any], fetch_size: int | None) -> Any:
        bound = self.prepare(cql).bind(list(params))
        bound.fetch_size = fetch_size or FETCH_SIZE
        querylog.record(f"{cql} -- {shown(list(params))}" if params else cql)
        return bound

    def execute(self, cql: str, params: Sequence[Any] = (), fetch_size: int | None = None) -> Any:
        with django_errors():
            return self.driver.execute(self._bound(cql, params, fetch_size))

    def execute_each(
        self, cql: str, param_sets: Iterable[Sequence[Any]], fetch_size: int | None = None
    ) -> Iterator[Any]:
        """Runs the statement once per parameter set, up to IN_FLIGHT at a time; yields the
        results in order."""
        pending: list[Any] = []
        with django_errors():
            for params in param_sets:
                pending.append(self.driver.execute_async(self._bound(cql, params, fetch_size)))
                if len(pending) >= IN_FLIGHT:
                    yield pending.pop(0).result()
            while pending:
                yield pending.pop(0).result()

    def records(self, result: Any, table: TableInfo, budget: Budget | None) -> Iterator[dict]:
        names = list(result.column_names or ())
        temporal = [c for c in table.temporal if c in names]
        with django_errors():
            for row in result:
                record = dict(row) if isinstance(row, dict) else dict(zip(names, row, strict=True))
                for column in temporal:
                    record[column] = values.from_driver(record[column])
                if budget is not None:
                    budget.spend(table.name)
                yield record


class Reads:
    """Reading a table's rows: by primary key, by indexed equality, or by a full scan."""

    def __init__(self, session: Session, budget: Budget) -> None:
        self.session = session
        self.budget = budget

    def _select(self, table: TableInfo) -> str:
        columns = ", ".join(protect_name(c) for c in table.columns)
        return f"SELECT {columns} FROM {self.session.table(table.name)}"

    # ``page_size``: rows per page; a query that needs few rows (a slice it can stream) asks
    # for small pages, so the server stops early.
    def by_key(
        self, table: TableInfo, values_: Sequence[Any], page_size: int | None = None
    ) -> Iterator[dict]:
        key = protect_name(table.single_key)
        distinct = list(dict.fromkeys(values_))
        if len(distinct) == 1:
            cql = f"{self._select(table)} WHERE {key} = ?"
            yield from self.session.records(self.session.execute(cql, distinct), table, self.budget)
            return
        cql = f"{self._select(table)} WHERE {key} IN ?"
        batches = ([distinct[i : i + IN_BATCH]] for i in range(0, len(distinct), IN_BATCH))
        for result in self.session.execute_each(cql, batches, page_size):
            yield from self.session.records(result, table, self.budget)

    def by_index(
        self, table: TableInfo, column: str, values_: Sequence[Any], page_size: int | None = None
    ) -> Iterator[dict]:
        cql = f"{self._select(table)} WHERE {protect_name(column)} = ?"
        distinct = list(dict.fromkeys(values_))
        params = ([v] for v in distinct)
        for result in self.session.execute_each(cql, params, page_size):
            yield from self.session.records(result, table, self.budget)

    def scan(
        self, table: TableInfo, limit: int | None = None, page_size: int | None = None
    ) -> Iterator[dict]:
        cql = self._select(table)
        if limit is not None:
            cql += f" LIMIT {int(limit)}"
        result = self.session.execute(cql, (), page_size)
        yield from self.session.records(result, table, self.budget)

    def count(self, table: TableInfo, column: str | None = None, value: Any = None) -> int:
        cql = f"SELECT COUNT(*) FROM {self.session.table(table.name)}"
        params: list[Any] = []
        if column is not None:
            cql += f" WHERE {protect_name(column)} = ?"
            params = [value]
        row = self.session.execute(cql, params).one()
        return int(row["count"] if isinstance(row, dict) else row[0])
