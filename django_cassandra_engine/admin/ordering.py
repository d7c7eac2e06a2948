"""Sorting the change list: by CQL where it can order, else in Python.

CQL orders the rows of one partition by its clustering columns: the partition key restricted by
equality, ``ORDER BY`` a prefix of the clustering columns, every one in its declared direction
or every one reversed. Any other ordering is done here, on rows already read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cassandra.cqlengine.operators import EqualsOperator


def field_names(model: type, ordering: Iterable[str]) -> list[str]:
    """Ordering names with ``pk`` (and ``-pk``) spelled out as the primary key columns."""
    names: list[str] = []
    for name in ordering:
        sign, bare = ("-", name[1:]) if name.startswith("-") else ("", name)
        if bare == "pk":
            names += [sign + column for column in model._primary_keys]
        else:
            names.append(name)
    return names


def cql_can_order(queryset: Any, names: list[str]) -> bool:
    """Whether CQL can give ``queryset``'s rows in the order of ``names``."""
    model = queryset.model
    restricted = {
        clause.field for clause in queryset._where if isinstance(clause.operator, EqualsOperator)
    }
    if any(column.db_field_name not in restricted for column in model._partition_keys.values()):
        return False
    clustering = list(model._clustering_keys.items())
    if not names or len(names) > len(clustering):
        return False
    reversed_flags = set()
    for name, (column_name, column) in zip(names, clustering, strict=False):
        descending = name.startswith("-")
        if name.lstrip("-") != column_name:
            return False
        declared_descending = (column.clustering_order or "ASC").upper() == "DESC"
        reversed_flags.add(descending != declared_descending)
    return len(reversed_flags) == 1


def sort_rows(rows: Iterable[Any], names: list[str]) -> list[Any]:
    """``rows`` sorted by the attributes ``names`` (``-name`` descending); missing values last."""
    ordered = list(rows)
    for name in reversed(names):  # stable sorts, least significant key first
        descending = name.startswith("-")
        attr = name.lstrip("-")
        present = [row for row in ordered if getattr(row, attr, None) is not None]
        missing = [row for row in ordered if getattr(row, attr, None) is None]
        present.sort(key=lambda row: _sort_key(getattr(row, attr)), reverse=descending)
        ordered = present + missing
    return ordered


def _sort_key(value: Any) -> Any:
    # Sets, maps and user types have no total order; their text does.
    if isinstance(value, (set, frozenset)):
        return sorted(map(repr, value))
    if hasattr(value, "items"):
        return repr(value)
    return value
