"""Readable text for Django expressions: what ``SQLCompiler.compile()`` returns on Cassandra.

Django's compiler calls ``compile()`` while it sets a query up (the select list, ORDER BY terms,
GROUP BY terms) and compares the texts to drop repeated terms; nothing here is ever run. The
same texts describe the Python steps of a plan in ``QuerySet.explain()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import expressions as exp
from django.db.models import lookups as lk
from django.db.models.sql.query import Query
from django.db.models.sql.where import NothingNode, WhereNode


def describe(node: Any) -> str:
    if isinstance(node, exp.OrderBy):
        direction = "DESC" if node.descending else "ASC"
        nulls = " NULLS FIRST" if node.nulls_first else " NULLS LAST" if node.nulls_last else ""
        return f"{describe(node.expression)} {direction}{nulls}"
    if isinstance(node, exp.Col):
        return f"{node.alias}.{node.target.column}"
    if isinstance(node, exp.Ref):
        return node.refs
    if isinstance(node, exp.Value):
        return repr(node.value)
    if isinstance(node, exp.Star):
        return "*"
    if isinstance(node, WhereNode):
        return _where(node)
    if isinstance(node, NothingNode):
        return "FALSE"
    if isinstance(node, lk.Lookup):
        return _lookup(node)
    if isinstance(node, Query):
        return f"(subquery on {node.model._meta.db_table if node.model else '?'})"
    if isinstance(node, exp.Subquery):
        name = "EXISTS" if isinstance(node, exp.Exists) else "SUBQUERY"
        return f"{name}{describe(node.query)}"
    if isinstance(node, exp.CombinedExpression):
        return f"({describe(node.lhs)} {node.connector} {describe(node.rhs)})"
    if isinstance(node, exp.When):
        return f"WHEN {describe(node.condition)} THEN {describe(node.result)}"
    if isinstance(node, exp.Case):
        cases = " ".join(describe(c) for c in node.cases)
        return f"CASE {cases} ELSE {describe(node.default)} END"
    if isinstance(node, exp.Func):
        arguments = ", ".join(describe(s) for s in node.get_source_expressions() if s is not None)
        distinct = "DISTINCT " if getattr(node, "distinct", False) else ""
        condition = getattr(node, "filter", None)
        where = f" FILTER (WHERE {describe(condition)})" if condition is not None else ""
        return f"{type(node).__name__}({distinct}{arguments}){where}"
    if hasattr(node, "get_source_expressions"):
        inner = ", ".join(describe(s) for s in node.get_source_expressions() if s is not None)
        return f"{type(node).__name__}({inner})"
    return repr(node)


def _where(node: WhereNode) -> str:
    if not node.children:
        return "TRUE"
    joined = f" {node.connector} ".join(describe(child) for child in node.children)
    text = joined if len(node.children) == 1 else f"({joined})"
    return f"NOT {text}" if node.negated else text


def _lookup(node: lk.Lookup) -> str:
    rhs = node.rhs
    if hasattr(rhs, "resolve_expression") or isinstance(rhs, Query):
        shown = describe(rhs)
    elif isinstance(rhs, (list, tuple, set, frozenset)):
        items = list(rhs)
        shown = "(" + ", ".join(repr(v) for v in items[:10])
        shown += ", ...)" if len(items) > 10 else ")"
    else:
        shown = repr(rhs)
    return f"{describe(node.lhs)} {node.lookup_name} {shown}"
