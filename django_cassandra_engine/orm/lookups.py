"""Lookups (``field__lookup=value``) evaluated in Python, with SQL's NULL semantics.

The right-hand side is put in the database domain as Django's SQL compilers do
(``Lookup.get_db_prep_lookup``), once per lookup object; expressions and subqueries on the
right-hand side are evaluated per row.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db import NotSupportedError
from django.db.models import lookups as lk
from django.db.models.expressions import Subquery
from django.db.models.sql.query import Query

from django_cassandra_engine.orm.evaluate import Evaluator, handles, not3
from django_cassandra_engine.orm.rows import Row

_NO_VALUE = object()


def rhs_value(ev: Evaluator, lookup: lk.Lookup, row: Row) -> Any:
    rhs = lookup.rhs
    if isinstance(rhs, Query):
        rows = ev.subquery(rhs, row)
        if lookup.lookup_name == "in":
            return [r[0] if len(r) == 1 else tuple(r) for r in rows]
        return rows[0][0] if rows else None
    if isinstance(rhs, Subquery) and lookup.lookup_name == "in":
        return [r[0] for r in ev.subquery(rhs.query, row)]
    if hasattr(rhs, "resolve_expression"):
        if lookup.bilateral_transforms:
            rhs = lookup.apply_bilateral_transforms(rhs)
        return ev.value(rhs, row)
    return ev.prepared(lookup, "rhs", lambda: _prepare_direct(ev, lookup))


def is_direct(lookup: lk.Lookup) -> bool:
    return not isinstance(lookup.rhs, Query) and not hasattr(lookup.rhs, "resolve_expression")


def _prepare_direct(ev: Evaluator, lookup: lk.Lookup) -> Any:
    rhs = lookup.rhs
    iterable = getattr(lookup, "get_db_prep_lookup_value_is_iterable", False)
    if lookup.bilateral_transforms:
        from django.db.models import Value

        def transformed(value: Any) -> Any:
            expression = lookup.apply_bilateral_transforms(
                Value(value, output_field=lookup.lhs.output_field)
            )
            return ev.value(expression, Row({}))

        return [transformed(v) for v in rhs] if iterable else transformed(rhs)
    if isinstance(lookup, lk.In):
        rhs = [v for v in rhs if v is not None]
    if isinstance(lookup, lk.FieldGetDbPrepValueMixin):
        _, params = lookup.get_db_prep_lookup(rhs, ev.connection)
        params = [ev.value(p, Row({})) if hasattr(p, "resolve_expression") else p for p in params]
        return list(params) if iterable else params[0]
    return rhs


def _compare(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool | None]:
    def apply(lhs: Any, rhs: Any) -> bool | None:
        if lhs is None or rhs is None:
            return None
        try:
            return op(lhs, rhs)
        except TypeError:
            return op(*_coerced(lhs, rhs))

    return apply


def _coerced(lhs: Any, rhs: Any) -> tuple[Any, Any]:
    """Values of different kinds that SQL would compare after an implicit cast."""
    import datetime

    if isinstance(lhs, datetime.datetime) != isinstance(rhs, datetime.datetime):
        as_date = lambda v: v.date() if isinstance(v, datetime.datetime) else v  # noqa: E731
        return as_date(lhs), as_date(rhs)
    return str(lhs), str(rhs)


def _equal(lhs: Any, rhs: Any) -> bool:
    return lhs == rhs


COMPARISONS: dict[str, Callable[[Any, Any], bool | None]] = {
    "exact": _compare(_equal),
    "gt": _compare(lambda a, b: a > b),
    "gte": _compare(lambda a, b: a >= b),
    "lt": _compare(lambda a, b: a < b),
    "lte": _compare(lambda a, b: a <= b),
}


def _text(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return value.hex  # UUID text lookups match the hexadecimal form, as Django's do
    if isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else str(value)


def _pattern_rhs(lookup: lk.Lookup, value: Any) -> str:
    text = _text(value)
    if isinstance(lookup, lk.UUIDTextMixin):
        text = text.replace("-", "")
    return text


PATTERNS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda text, part: part in text,
    "icontains": lambda text, part: part.lower() in text.lower(),
    "startswith": lambda text, part: text.startswith(part),
    "istartswith": lambda text, part: text.lower().startswith(part.lower()),
    "endswith": lambda text, part: text.endswith(part),
    "iendswith": lambda text, part: text.lower().endswith(part.lower()),
    "iexact": lambda text, part: text.lower() == part.lower(),
}


@handles(lk.Lookup)
def _lookup(ev: Evaluator, lookup: lk.Lookup, row: Row) -> bool | None:
    name = lookup.lookup_name
    compare = COMPARISONS.get(name)
    if compare is not None:
        return compare(ev.value(lookup.lhs, row), rhs_value(ev, lookup, row))
    pattern = PATTERNS.get(name)
    if pattern is not None:
        lhs = ev.value(lookup.lhs, row)
        rhs = rhs_value(ev, lookup, row)
        if lhs is None or rhs is None:
            return None
        return pattern(_text(lhs), _pattern_rhs(lookup, rhs))
    raise NotSupportedError(
        f"The {name!r} lookup ({type(lookup).__name__}) is not supported on Cassandra."
    )


@handles(lk.In)
def _in(ev: Evaluator, lookup: lk.In, row: Row) -> bool | None:
    lhs = ev.value(lookup.lhs, row)
    candidates = rhs_value(ev, lookup, row)
    if not isinstance(candidates, (list, tuple, set, frozenset)):
        candidates = [candidates]  # `x IN (outer.column)`: one value
    if is_direct(lookup):
        members = ev.prepared(lookup, "members", lambda: _members(candidates))
    else:
        members = _members(candidates)
    if lhs is None:
        return None if candidates else False
    if lhs in (members if members is not None and _hashable(lhs) else candidates):
        return True
    # `x IN (..., NULL)` is unknown, not false, when x matches nothing else.
    return None if any(c is None for c in candidates) else False


def _members(candidates: list[Any]) -> set[Any] | None:
    try:
        return set(candidates)
    except TypeError:
        return None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@handles(lk.Range)
def _range(ev: Evaluator, lookup: lk.Range, row: Row) -> bool | None:
    lhs = ev.value(lookup.lhs, row)
    low, high = rhs_value(ev, lookup, row)
    gte, lte = COMPARISONS["gte"](lhs, low), COMPARISONS["lte"](lhs, high)
    if gte is False or lte is False:
        return False
    if gte is None or lte is None:
        return None
    return True


@handles(lk.IsNull)
def _isnull(ev: Evaluator, lookup: lk.IsNull, row: Row) -> bool:
    if not isinstance(lookup.rhs, bool):
        raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
    is_null = ev.value(lookup.lhs, row) is None
    return is_null if lookup.rhs else not is_null


@handles(lk.Regex)
def _regex(ev: Evaluator, lookup: lk.Regex, row: Row) -> bool | None:
    lhs = ev.value(lookup.lhs, row)
    rhs = rhs_value(ev, lookup, row)
    if lhs is None or rhs is None:
        return None
    flags = re.IGNORECASE if lookup.lookup_name == "iregex" else 0
    if is_direct(lookup):
        pattern = ev.prepared(lookup, "regex", lambda: re.compile(_text(rhs), flags))
    else:
        pattern = re.compile(_text(rhs), flags)
    return pattern.search(_text(lhs)) is not None


@handles(lk.Exact)
def _exact(ev: Evaluator, lookup: lk.Exact, row: Row) -> bool | None:
    if isinstance(lookup.rhs, bool) and getattr(lookup.lhs, "conditional", False):
        truth = ev.truth(lookup.lhs, row)
        return truth if lookup.rhs else not3(truth)
    return COMPARISONS["exact"](ev.value(lookup.lhs, row), rhs_value(ev, lookup, row))
