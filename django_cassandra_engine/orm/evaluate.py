"""Evaluating Django expressions in Python, with SQL's semantics.

``Evaluator.value(expression, row)`` gives an expression's value for one row (or group) in the
database domain (see values.py); ``Evaluator.truth(condition, row)`` gives a condition's truth in
SQL's three-valued logic: True, False or None (unknown, as when NULL is compared). Django builds
its filters for SQL's semantics (``exclude()`` on a nullable column, outer joins), so following
them exactly gives Django's results.

Each expression class has a handler, found along the class's MRO; ``functions.py``,
``lookups.py`` and ``aggregates.py`` register theirs. An expression without a handler raises
``NotSupportedError`` naming it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import DatabaseError, NotSupportedError
from django.db.models import expressions as exp
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, OR, XOR, NothingNode, WhereNode

from django_cassandra_engine.orm import values
from django_cassandra_engine.orm.rows import Group, Row

Handler = Callable[["Evaluator", Any, Row], Any]
_HANDLERS: dict[type, Handler] = {}


def handles(*classes: type) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for klass in classes:
            _HANDLERS[klass] = handler
        return handler

    return register


def _handler_for(klass: type) -> Handler | None:
    for base in klass.__mro__:
        handler = _HANDLERS.get(base)
        if handler is not None:
            return handler
    return None


class Evaluator:
    """Evaluates the expressions of one query execution.

    ``subquery`` runs a nested query for an outer row and returns its output rows (lists of
    values); the compiler provides it, with caching of what does not depend on the outer row.
    """

    def __init__(self, connection: Any, subquery: Callable[[Query, Row], list[list[Any]]]) -> None:
        self.connection = connection
        self.subquery = subquery
        self._handlers: dict[type, Handler] = {}
        self._prepared: dict[tuple[int, str], tuple[Any, Any]] = {}

    def value(self, expression: Any, row: Row) -> Any:
        klass = type(expression)
        handler = self._handlers.get(klass)
        if handler is None:
            handler = _handler_for(klass)
            if handler is None:
                raise NotSupportedError(
                    f"{klass.__name__} expressions cannot be evaluated on Cassandra."
                )
            self._handlers[klass] = handler
        return handler(self, expression, row)

    def truth(self, condition: Any, row: Row) -> bool | None:
        result = self.value(condition, row)
        return None if result is None else bool(result)

    def prepared(self, owner: Any, tag: str, make: Callable[[], Any]) -> Any:
        """A value computed once per expression object and tag (prepared lookup values,
        compiled patterns). The owner is kept alive with its value, so its id stays unique."""
        key = (id(owner), tag)
        entry = self._prepared.get(key)
        if entry is None or entry[0] is not owner:
            entry = (owner, make())
            self._prepared[key] = entry
        return entry[1]

    def db_value(self, field: Any, value: Any) -> Any:
        """A Python value as a column of ``field``'s type holds it."""
        if field is None or value is None or hasattr(value, "resolve_expression"):
            return value
        return field.get_db_prep_value(value, connection=self.connection)


# Three-valued logic
def and3(values_: list[bool | None]) -> bool | None:
    if any(v is False for v in values_):
        return False
    if any(v is None for v in values_):
        return None
    return True


def or3(values_: list[bool | None]) -> bool | None:
    if any(v is True for v in values_):
        return True
    if any(v is None for v in values_):
        return None
    return False


def not3(value: bool | None) -> bool | None:
    return None if value is None else not value


@handles(WhereNode)
def _where(ev: Evaluator, node: WhereNode, row: Row) -> bool | None:
    if node.connector == AND:
        # Short-circuit: a False child decides, whatever the others are.
        result: bool | None = True
        for child in node.children:
            truth = ev.truth(child, row)
            if truth is False:
                result = False
                break
            if truth is None:
                result = None
    elif node.connector == OR:
        result = False
        for child in node.children:
            truth = ev.truth(child, row)
            if truth is True:
                result = True
                break
            if truth is None:
                result = None
    elif node.connector == XOR:
        truths = [ev.truth(child, row) for child in node.children]
        result = None if None in truths else sum(truths) % 2 == 1
    else:
        raise NotSupportedError(f"WHERE connector {node.connector!r}")
    return not3(result) if node.negated else result


@handles(NothingNode)
def _nothing(ev: Evaluator, node: NothingNode, row: Row) -> bool:
    return False


@handles(exp.Col)
def _col(ev: Evaluator, col: exp.Col, row: Row) -> Any:
    return row.column(col.alias, col.target.column)


if hasattr(exp, "ColPairs"):  # Django 5.2: the columns of a composite primary key

    @handles(exp.ColPairs)
    def _col_pairs(ev: Evaluator, pairs: Any, row: Row) -> tuple:
        return tuple(ev.value(col, row) for col in pairs.get_cols())


@handles(exp.Value)
def _value(ev: Evaluator, node: exp.Value, row: Row) -> Any:
    value = node.value
    if value is None:
        return None
    field = node._output_field_or_none
    if field is None:
        return value
    if node.for_save:
        return field.get_db_prep_save(value, connection=ev.connection)
    return field.get_db_prep_value(value, connection=ev.connection)


@handles(exp.Ref)
def _ref(ev: Evaluator, ref: exp.Ref, row: Row) -> Any:
    found, value = row.name(ref.refs)
    if found:
        return value
    return ev.value(ref.source, row)


@handles(exp.ResolvedOuterRef, exp.OuterRef)
def _outer_ref(ev: Evaluator, ref: Any, row: Row) -> Any:
    raise ValueError(
        "This queryset contains a reference to an outer query and may only be used in a subquery."
    )


@handles(exp.Star)
def _star(ev: Evaluator, node: exp.Star, row: Row) -> bool:
    return True  # COUNT(*) counts every row


@handles(exp.ExpressionWrapper)
def _wrapper(ev: Evaluator, node: exp.ExpressionWrapper, row: Row) -> Any:
    return ev.value(node.expression, row)


@handles(exp.NegatedExpression)
def _negated(ev: Evaluator, node: Any, row: Row) -> bool | None:
    return not3(ev.truth(node.expression, row))


@handles(exp.ExpressionList)
def _expression_list(ev: Evaluator, node: exp.ExpressionList, row: Row) -> list[Any]:
    return [ev.value(source, row) for source in node.get_source_expressions()]


@handles(exp.OrderBy)
def _order_by(ev: Evaluator, node: exp.OrderBy, row: Row) -> Any:
    return ev.value(node.expression, row)


if hasattr(exp, "DatabaseDefault"):  # Django 5.0+: db_default

    @handles(exp.DatabaseDefault)
    def _database_default(ev: Evaluator, node: Any, row: Row) -> Any:
        return ev.value(node.expression, row)


@handles(exp.When)
def _when(ev: Evaluator, node: exp.When, row: Row) -> bool | None:
    return ev.truth(node.condition, row)


@handles(exp.Case)
def _case(ev: Evaluator, node: exp.Case, row: Row) -> Any:
    for when in node.cases:
        if ev.truth(when.condition, row) is True:
            return ev.value(when.result, row)
    return ev.value(node.default, row)


@handles(exp.Exists)
def _exists(ev: Evaluator, node: exp.Exists, row: Row) -> bool:
    result = bool(ev.subquery(node.query, row))
    return not result if getattr(node, "negated", False) else result


@handles(exp.Subquery)
def _subquery(ev: Evaluator, node: exp.Subquery, row: Row) -> Any:
    return scalar(ev.subquery(node.query, row))


@handles(Query)
def _query(ev: Evaluator, node: Query, row: Row) -> Any:
    return scalar(ev.subquery(node, row))


def scalar(rows: list[list[Any]]) -> Any:
    """A subquery used as a value: its first row's first column, NULL without rows."""
    return rows[0][0] if rows else None


QUALIFIED_COLUMN = re.compile(r'^\s*"?(\w+)"?\s*\.\s*"?(\w+)"?\s*$')


@handles(exp.RawSQL)
def _raw_sql(ev: Evaluator, node: exp.RawSQL, row: Row) -> Any:
    # A bare "table"."column" is what Django's many-to-many prefetch selects through extra();
    # it names a column of a table in the query. Other SQL cannot be evaluated.
    match = QUALIFIED_COLUMN.match(node.sql) if not node.params else None
    if match is not None:
        try:
            return row.column(match.group(1), match.group(2))
        except KeyError:
            pass
    raise NotSupportedError(
        f"Raw SQL ({node.sql!r}: QuerySet.extra() or RawSQL) cannot run on Cassandra."
    )


@handles(exp.Window)
def _window(ev: Evaluator, node: exp.Window, row: Row) -> Any:
    raise NotSupportedError("Window expressions are not supported on Cassandra.")


# Arithmetic
# Times take part in arithmetic as datetimes on this day (time + interval wraps at midnight).
TIME_BASE = datetime.date(2000, 1, 1)


def output_type(expression: Any) -> str | None:
    """The internal type of an expression's output field, None if it has none or Django
    cannot tell (mixed types without an output_field)."""
    try:
        field = expression._output_field_or_none
    except FieldError:
        return None
    return None if field is None else field.get_internal_type()


def _operand(expression: Any, value: Any) -> Any:
    # Durations are microseconds in the database domain; datetime arithmetic wants timedeltas.
    if isinstance(value, int) and not isinstance(value, bool):
        if output_type(expression) == "DurationField":
            return datetime.timedelta(microseconds=value)
    elif isinstance(value, datetime.datetime) and not settings.USE_TZ:
        # Without time zone support, Django's datetimes are wall-clock time in TIME_ZONE and
        # SQL databases do arithmetic on that; the database domain keeps UTC instants.
        return values.local_time(value, None)
    elif isinstance(value, datetime.time):
        return datetime.datetime.combine(TIME_BASE, value)
    return value


def _arithmetic(connector: str, lhs: Any, rhs: Any) -> Any:
    operation = ARITHMETIC.get(connector)
    if operation is None:
        raise NotSupportedError(f"The {connector!r} operator is not supported on Cassandra.")
    if isinstance(lhs, datetime.timedelta) and isinstance(rhs, Decimal):
        rhs = float(rhs)
    elif isinstance(rhs, datetime.timedelta) and isinstance(lhs, Decimal):
        lhs = float(lhs)
    try:
        return operation(lhs, rhs)
    except (TypeError, OverflowError) as error:
        raise DatabaseError(
            f"Cannot evaluate {type(lhs).__name__} {connector} {type(rhs).__name__}: {error}"
        ) from error


def _divide(lhs: Any, rhs: Any) -> Any:
    if rhs == 0:
        return None  # NULL, as SQLite and MySQL answer
    if isinstance(lhs, int) and isinstance(rhs, int):
        quotient = abs(lhs) // abs(rhs)  # SQL integer division truncates toward zero
        return quotient if (lhs >= 0) == (rhs >= 0) else -quotient
    if isinstance(lhs, datetime.timedelta):
        return lhs / rhs
    if isinstance(lhs, Decimal) or isinstance(rhs, Decimal):
        return Decimal(lhs) / Decimal(rhs)
    return lhs / rhs


def _modulo(lhs: Any, rhs: Any) -> Any:
    if rhs == 0:
        return None
    if isinstance(lhs, int) and isinstance(rhs, int):
        return lhs - rhs * int(_divide(lhs, rhs))  # the sign of the dividend, as in SQL
    if isinstance(lhs, Decimal) or isinstance(rhs, Decimal):
        return Decimal(lhs) % Decimal(rhs)
    import math

    return math.fmod(lhs, rhs)


def _power(lhs: Any, rhs: Any) -> Any:
    if isinstance(lhs, Decimal) or isinstance(rhs, Decimal):
        return Decimal(lhs) ** Decimal(rhs)
    return lhs**rhs


def _mixed(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(lhs: Any, rhs: Any) -> Any:
        if isinstance(lhs, Decimal) and isinstance(rhs, float):
            rhs = Decimal(repr(rhs))
        elif isinstance(lhs, float) and isinstance(rhs, Decimal):
            lhs = Decimal(repr(lhs))
        return op(lhs, rhs)

    return apply


ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    exp.Combinable.ADD: _mixed(lambda a, b: a + b),
    exp.Combinable.SUB: _mixed(lambda a, b: a - b),
    exp.Combinable.MUL: _mixed(lambda a, b: a * b),
    exp.Combinable.DIV: _mixed(_divide),
    exp.Combinable.MOD: _mixed(_modulo),
    exp.Combinable.POW: _mixed(_power),
    exp.Combinable.BITAND: lambda a, b: a & b,
    exp.Combinable.BITOR: lambda a, b: a | b,
    exp.Combinable.BITLEFTSHIFT: lambda a, b: a << b,
    exp.Combinable.BITRIGHTSHIFT: lambda a, b: a >> b,
    exp.Combinable.BITXOR: lambda a, b: a ^ b,
}


@handles(exp.CombinedExpression)
def _combined(ev: Evaluator, node: exp.CombinedExpression, row: Row) -> Any:
    lhs = ev.value(node.lhs, row)
    rhs = ev.value(node.rhs, row)
    if lhs is None or rhs is None:
        return None
    if node.connector in (exp.Combinable.BITAND, exp.Combinable.BITOR) and (
        isinstance(lhs, bool) or isinstance(rhs, bool)
    ):
        # Q objects combined in expressions (& and | on conditions).
        return (lhs and rhs) if node.connector == exp.Combinable.BITAND else (lhs or rhs)
    result = _arithmetic(node.connector, _operand(node.lhs, lhs), _operand(node.rhs, rhs))
    return to_output(node, result, lhs)


def to_output(node: Any, result: Any, first: Any = None) -> Any:
    """A computed value in the database domain of the expression's output field."""
    if isinstance(result, datetime.timedelta):
        kind = output_type(node)
        if kind in (None, "DurationField"):
            return values.microseconds(result)
    if isinstance(result, datetime.datetime):
        if isinstance(first, datetime.time):
            return result.time()
        if result.tzinfo is not None or not settings.USE_TZ:
            return values.to_database_datetime(result)
    return result


def grouped(row: Row) -> Group:
    if not isinstance(row, Group):
        raise NotSupportedError("An aggregate was used outside of a grouped query.")
    return row
