"""Aggregates over the rows of a group (``Count``, ``Sum``, ``Avg``, ``Min``, ``Max``,
``StdDev``, ``Variance``), with SQL's rules: NULLs are skipped, an aggregate over no values is
NULL except ``Count`` (0), ``distinct=True`` counts each value once, ``filter=`` keeps the rows
whose condition is true."""

from __future__ import annotations

import statistics
from decimal import Decimal
from typing import Any

from django.db import NotSupportedError
from django.db.models import aggregates as agg

from django_cassandra_engine.orm.evaluate import Evaluator, grouped, handles
from django_cassandra_engine.orm.rows import Row


def _inputs(ev: Evaluator, node: agg.Aggregate, row: Row) -> list[Any]:
    group = grouped(row)
    (argument,) = node.source_expressions[:1] or [None]
    collected = []
    for member in group.members:
        if node.filter is not None and ev.truth(node.filter, member) is not True:
            continue
        value = ev.value(argument, member)
        if value is not None:
            collected.append(value)
    if node.distinct:
        collected = list(dict.fromkeys(collected))
    return collected


@handles(agg.Count)
def _count(ev: Evaluator, node: agg.Count, row: Row) -> int:
    return len(_inputs(ev, node, row))


@handles(agg.Sum)
def _sum(ev: Evaluator, node: agg.Sum, row: Row) -> Any:
    inputs = _inputs(ev, node, row)
    return sum(inputs[1:], inputs[0]) if inputs else None


@handles(agg.Avg)
def _avg(ev: Evaluator, node: agg.Avg, row: Row) -> Any:
    inputs = _inputs(ev, node, row)
    if not inputs:
        return None
    if any(isinstance(v, Decimal) for v in inputs):
        return sum(Decimal(v) for v in inputs) / len(inputs)
    return sum(inputs) / len(inputs)


@handles(agg.Min)
def _min(ev: Evaluator, node: agg.Min, row: Row) -> Any:
    inputs = _inputs(ev, node, row)
    return min(inputs) if inputs else None


@handles(agg.Max)
def _max(ev: Evaluator, node: agg.Max, row: Row) -> Any:
    inputs = _inputs(ev, node, row)
    return max(inputs) if inputs else None


def _spread(ev: Evaluator, node: Any, row: Row, square: bool) -> Any:
    inputs = [float(v) for v in _inputs(ev, node, row)]
    sample = node.function.endswith("_SAMP")
    if len(inputs) < (2 if sample else 1):
        return None
    if square:
        return statistics.variance(inputs) if sample else statistics.pvariance(inputs)
    return statistics.stdev(inputs) if sample else statistics.pstdev(inputs)


@handles(agg.StdDev)
def _stddev(ev: Evaluator, node: agg.StdDev, row: Row) -> Any:
    return _spread(ev, node, row, square=False)


@handles(agg.Variance)
def _variance(ev: Evaluator, node: agg.Variance, row: Row) -> Any:
    return _spread(ev, node, row, square=True)


@handles(agg.Aggregate)
def _other(ev: Evaluator, node: agg.Aggregate, row: Row) -> Any:
    raise NotSupportedError(f"The {type(node).__name__} aggregate is not supported on Cassandra.")
