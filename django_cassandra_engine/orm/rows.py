"""Rows as the Python steps of a plan see them.

A ``Row`` is one combination of joined table rows, as a SQL engine would form it: the record
(``{column: value}``) of each table alias, ``None`` for an alias an outer join left empty.
``names`` holds values computed under a name (select aliases, a subquery's output columns).
A subquery's rows point to the row of the enclosing query (``outer``), which is where columns of
the outer query's aliases are found.

A ``Group`` is the rows that share a GROUP BY key; aggregates run over ``members``, other
expressions read the group's first row (grouped columns, or columns determined by them).
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


class Row:
    __slots__ = ("names", "outer", "tables")

    def __init__(
        self,
        tables: dict[str, Record | None],
        names: dict[str, Any] | None = None,
        outer: Row | None = None,
    ) -> None:
        self.tables = tables
        self.names = names if names is not None else {}
        self.outer = outer

    def column(self, alias: str, column: str) -> Any:
        row: Row | None = self
        while row is not None:
            if alias in row.tables:
                record = row.tables[alias]
                return None if record is None else record.get(column)
            row = row.outer
        raise KeyError(f"no table aliased {alias!r} in this query")

    def name(self, name: str) -> tuple[bool, Any]:
        row: Row | None = self
        while row is not None:
            if name in row.names:
                return True, row.names[name]
            row = row.outer
        return False, None

    def joined(self, alias: str, record: Record | None) -> Row:
        tables = dict(self.tables)
        tables[alias] = record
        return Row(tables, dict(self.names), self.outer)

    def with_outer(self, outer: Row | None) -> Row:
        return Row(self.tables, dict(self.names), outer)


class Group(Row):
    __slots__ = ("members",)

    def __init__(self, members: list[Row], outer: Row | None = None) -> None:
        first = members[0] if members else Row({})
        super().__init__(first.tables, dict(first.names), outer or first.outer)
        self.members = members
