"""The plan of a SELECT: how CQL reads the rows, and the steps Python runs on them.

A plan starts from one table alias, the *driving* alias, read by the best restriction CQL can
answer among the filter's AND-ed conditions: equality or ``IN`` on the primary key (the
partition key), else equality on an indexed column (one request per value), else a scan of the
query's base table. The other tables joined by INNER joins to it are then reached along the
join columns, from whichever side is known (by primary key, index, or one scan of the joined
table); outer joins follow, in Django's order, keeping rows without a match. Python then applies
the whole filter (SQL's three-valued logic), grouping and aggregates, HAVING, the select list,
DISTINCT, ordering and the slice.

Every row read from Cassandra counts against ``CASSANDRA_MAX_SCANNED_ROWS``; past it the query
fails with ``NotSupportedError`` naming the columns a key or an index would serve.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import NotSupportedError
from django.db.models import expressions as exp
from django.db.models import lookups as lk
from django.db.models.sql.constants import INNER, LOUTER
from django.db.models.sql.datastructures import BaseTable, Join
from django.db.models.sql.where import AND, NothingNode, WhereNode

from django_cassandra_engine.orm import uniqueness
from django_cassandra_engine.orm.cql import Reads
from django_cassandra_engine.orm.describe import describe
from django_cassandra_engine.orm.evaluate import Evaluator
from django_cassandra_engine.orm.lookups import is_direct, rhs_value
from django_cassandra_engine.orm.rows import Group, Row
from django_cassandra_engine.orm.tables import TableInfo, model_for_table, table_info

JOIN_BATCH = 500  # rows whose join keys are looked up together
SMALL_PAGE = 100  # the smallest page a streamed slice asks for
INDEX_VALUES_MAX = 50  # an IN on an indexed column with more values scans the table instead

INTEGER_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (-(2**15), 2**15 - 1),
    "SmallAutoField": (-(2**15), 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (-(2**31), 2**31 - 1),
    "AutoField": (-(2**31), 2**31 - 1),
}


@dataclass
class Access:
    """How the driving alias's rows are read."""

    alias: str
    table: TableInfo
    kind: str  # "key", "index", "scan" or "none" (no row can match)
    column: str | None = None
    values: list[Any] = field(default_factory=list)
    condition: Any = None  # the conjunct CQL answers

    def describe(self) -> str:
        table = self.table.name
        if self.kind == "none":
            return f"no CQL read: {describe(self.condition)} matches nothing"
        if self.kind == "scan":
            return f"scan {table} (every row, paged)"
        if self.kind == "unique":
            columns = ", ".join(self.condition.columns)
            return f"read {table} by its unique ({columns}) claim, then by primary key"
        how = "primary key" if self.kind == "key" else f"index {self.table.indexes[self.column]}"
        return f"read {table} where {self.column} in {_values(self.values)} ({how})"


@dataclass
class Edge:
    """One joined alias added to each row: the new alias's records whose columns equal the
    known aliases' columns (``pairs``: known alias, known column, new column)."""

    alias: str
    table: TableInfo
    pairs: list[tuple[str, str, str]]
    outer: bool
    conditions: list[Any]
    label: str

    @property
    def column(self) -> str:
        return self.pairs[0][2]

    @property
    def strategy(self) -> str:
        return self.table.can_lookup(self.column) or "scan"

    def describe(self) -> str:
        how = {"key": "by primary key", "index": "by index", "scan": "one scan"}[self.strategy]
        on = " AND ".join(f"{a}.{k} = {self.alias}.{n}" for a, k, n in self.pairs)
        kind = "LEFT OUTER JOIN" if self.outer else "INNER JOIN"
        return f"{kind} {self.table.name} {self.alias} ON {on} ({how}){self.label}"


@dataclass
class SelectPlan:
    access: Access | None  # None: a query on no table (SELECT 1 WHERE EXISTS (...))
    edges: list[Edge]
    where: Any
    having: Any
    group_by: list[Any] | None
    select: list[tuple[Any, str | None]]
    order_by: list[exp.OrderBy]
    distinct: bool
    low: int
    high: int | None
    extra_order: list[Any]  # ORDER BY terms DISTINCT also compares (not selected)
    pushed: set[int] = field(default_factory=set)  # ids of conjuncts CQL answers exactly

    @property
    def python_filter(self) -> bool:
        return bool(self.where is not None and _conjuncts(self.where, skip=self.pushed))

    @property
    def streams(self) -> bool:
        """Whether rows can flow through without being collected (no grouping or sorting)."""
        return self.group_by is None and not self.order_by and not self.distinct

    def describe(self) -> list[str]:
        lines = []
        if self.access is None:
            lines.append("PY   one row, no table")
        else:
            lines.append(f"CQL  {self.access.describe()}")
        for edge in self.edges:
            lines.append(f"CQL  {edge.describe()}")
        if self.python_filter:
            lines.append(f"PY   filter {describe(self.where)}")
        if self.group_by is not None:
            terms = ", ".join(describe(e) for e in self.group_by) or "(all rows)"
            lines.append(f"PY   group by {terms}")
        if self.having is not None:
            lines.append(f"PY   having {describe(self.having)}")
        if self.order_by:
            lines.append("PY   order by " + ", ".join(describe(o) for o in self.order_by))
        if self.distinct:
            lines.append("PY   distinct")
        if self.low or self.high is not None:
            lines.append(f"PY   slice [{self.low}:{'' if self.high is None else self.high}]")
        columns = ", ".join(describe(e) + (f" AS {a}" if a else "") for e, a in self.select)
        lines.append(f"PY   select {columns}")
        return lines


def _values(values_: list[Any]) -> str:
    shown = ", ".join(repr(v) for v in values_[:5])
    return f"({shown}{', ...' if len(values_) > 5 else ''})"


def _conjuncts(where: Any, skip: set[int] = frozenset()) -> list[Any]:
    """The AND-ed conditions of a filter (nested ANDs flattened)."""
    if isinstance(where, WhereNode) and where.connector == AND and not where.negated:
        found = []
        for child in where.children:
            found.extend(_conjuncts(child, skip))
        return found
    return [] if id(where) in skip else [where]


# Building a plan
def active_aliases(query: Any) -> list[str]:
    return [a for a in query.alias_map if query.alias_refcount.get(a)]


def build_select_plan(
    compiler: Any,
    ev: Evaluator,
    order_by: list[exp.OrderBy],
    group_by: list[Any] | None,
    extra_order: list[Any],
) -> SelectPlan:
    query = compiler.query
    where = compiler.where if compiler.where and compiler.where.children else None
    having = compiler.having if compiler.having and compiler.having.children else None
    if getattr(compiler, "qualify", None):
        raise NotSupportedError("Filters on window functions are not supported on Cassandra.")
    for node in (where, having):
        if node is not None:
            check_conditions(compiler, node)
    tables = _tables(query)
    plan = SelectPlan(
        access=None,
        edges=[],
        where=where,
        having=having,
        group_by=group_by,
        select=[(expr, alias) for expr, _, alias in compiler.select],
        order_by=order_by,
        distinct=bool(query.distinct),
        low=query.low_mark,
        high=query.high_mark,
        extra_order=extra_order,
    )
    if not tables:
        return plan
    base = _base_alias(query, tables)
    component = _inner_component(query, base, tables)
    plan.access = _choose_access(ev, where, component, tables, base)
    if plan.access.condition is not None and plan.access.kind != "none":
        plan.pushed.add(id(plan.access.condition))
    plan.edges = _edges(query, compiler, plan.access.alias, component, tables)
    return plan


def check_conditions(compiler: Any, node: Any) -> None:
    """The errors Django's SQL compilers raise while compiling a filter, raised before any
    row is read (an empty table would otherwise hide them)."""
    if isinstance(node, WhereNode):
        for child in node.children:
            check_conditions(compiler, child)
        return
    if isinstance(node, lk.IsNull) and not isinstance(node.rhs, bool):
        raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
    if isinstance(node, lk.In):
        db = getattr(node.rhs, "_db", None)
        if db is not None and db != compiler.connection.alias:
            raise ValueError(
                "Subqueries aren't allowed across different databases. Force the inner query "
                "to be evaluated using `list(inner_query)`."
            )


def _tables(query: Any) -> dict[str, TableInfo]:
    tables = {}
    for alias in active_aliases(query):
        table = query.alias_map[alias]
        if isinstance(table, Join):
            model = model_for_table(table.table_name, table.join_field)
        elif isinstance(table, BaseTable):
            model = model_for_table(table.table_name, query.model)
        else:
            raise NotSupportedError(f"{type(table).__name__} in FROM is not supported.")
        tables[alias] = table_info(model)
    return tables


def _base_alias(query: Any, tables: dict[str, TableInfo]) -> str:
    for alias in tables:
        if isinstance(query.alias_map[alias], BaseTable):
            return alias
    return next(iter(tables))


def _inner_component(query: Any, base: str, tables: dict[str, TableInfo]) -> list[str]:
    """The base alias and the aliases INNER-joined to it (directly or through others)."""
    component = [base]
    for alias in tables:
        join = query.alias_map[alias]
        if (
            isinstance(join, Join)
            and join.join_type == INNER
            and join.parent_alias in component
            and not join.filtered_relation
        ):
            component.append(alias)
    return component


def _fits(table: TableInfo, column: str, value: Any) -> bool:
    """Whether CQL can bind the value to the column (a value out of an int column's range
    matches no row, and the driver would refuse to serialize it)."""
    bounds = INTEGER_RANGES.get(table.types.get(column, ""))
    if bounds is None or not isinstance(value, int):
        return True
    return bounds[0] <= value <= bounds[1]


def _choose_access(
    ev: Evaluator, where: Any, component: list[str], tables: dict[str, TableInfo], base: str
) -> Access:
    conditions = _conjuncts(where) if where is not None else []
    candidates = []
    for condition in conditions:
        if isinstance(condition, NothingNode):  # QuerySet.none(), an empty IN list
            return Access(alias=base, table=tables[base], kind="none", condition=condition)
        candidate = _restriction(ev, condition, component, tables)
        if candidate is not None:
            candidates.append(candidate)
    candidates.extend(_unique_restrictions(ev, conditions, component, tables))
    if candidates:
        return min(candidates, key=lambda c: (ACCESS_RANK[c.kind], len(c.values)))
    return Access(alias=base, table=tables[base], kind="scan")


ACCESS_RANK = {"none": 0, "key": 1, "unique": 2, "index": 3, "scan": 4}


def _unique_restrictions(
    ev: Evaluator, conditions: list[Any], component: list[str], tables: dict[str, TableInfo]
) -> list[Access]:
    """Equality on every column of a unique constraint of several columns
    (``unique_together``, ``UniqueConstraint``): the row is found through the constraint's
    claim (orm/uniqueness.py), which names its primary key."""
    equal: dict[tuple[str, str], Any] = {}
    for condition in conditions:
        if (
            isinstance(condition, lk.Exact)
            and condition.lookup_name == "exact"
            and is_direct(condition)
            and isinstance(condition.lhs, exp.Col)
            and condition.lhs.alias in component
        ):
            value = rhs_value(ev, condition, Row({}))
            if value is not None:
                equal[(condition.lhs.alias, condition.lhs.target.column)] = value
    found = []
    for alias in component:
        table = tables[alias]
        if table.single_key is None:
            continue
        for constraint in uniqueness.constraints(table.model):
            if len(constraint.columns) > 1 and all((alias, c) in equal for c in constraint.columns):
                value = uniqueness.encode([equal[(alias, c)] for c in constraint.columns])
                found.append(Access(alias, table, "unique", None, [value], constraint))
    return found


def _restriction(
    ev: Evaluator, condition: Any, component: list[str], tables: dict[str, TableInfo]
) -> Access | None:
    if not isinstance(condition, (lk.Exact, lk.In)) or not is_direct(condition):
        return None
    if condition.lookup_name not in ("exact", "in"):
        return None
    lhs = condition.lhs
    if not isinstance(lhs, exp.Col) or lhs.alias not in component:
        return None
    if (
        isinstance(condition, lk.Exact)
        and isinstance(condition.rhs, bool)
        and getattr(lhs, "conditional", False)
    ):
        return None
    table = tables[lhs.alias]
    column = lhs.target.column
    how = table.can_lookup(column)
    if how is None:
        return None
    value = rhs_value(ev, condition, Row({}))
    values_ = list(value) if isinstance(condition, lk.In) else [value]
    values_ = [v for v in dict.fromkeys(values_) if v is not None and _fits(table, column, v)]
    if not values_:
        return Access(lhs.alias, table, "none", column, [], condition)
    if how == "index" and len(values_) > INDEX_VALUES_MAX:
        return None
    return Access(lhs.alias, table, how, column, values_, condition)


def _join_conditions(compiler: Any, join: Join) -> list[Any]:
    """A join's ON conditions beyond its column pairs (generic relations' content type, a
    FilteredRelation's condition)."""
    conditions = []
    extra = join.join_field.get_extra_restriction(join.table_alias, join.parent_alias)
    if extra:
        conditions.append(extra)
    relation = join.filtered_relation
    if relation is not None:
        resolved = getattr(relation, "resolved_condition", None)
        if resolved is None:  # Django 4.2 resolves it when compiling
            resolved = compiler.query.build_filtered_relation_q(
                relation.condition, reuse=set(relation.path)
            )
        conditions.append(resolved)
    return conditions


def _edges(
    query: Any, compiler: Any, driver: str, component: list[str], tables: dict[str, TableInfo]
) -> list[Edge]:
    edges: list[Edge] = []
    known = {driver}
    inner = [a for a in component if isinstance(query.alias_map[a], Join)]
    # The INNER-joined component, reached from the driving alias in either direction.
    pending = list(inner)
    while pending:
        for alias in pending:
            join = query.alias_map[alias]
            parent, child = join.parent_alias, join.table_alias
            if parent in known and child not in known:
                pairs = [(parent, p, c) for p, c in join.join_cols]
                new = child
            elif child in known and parent not in known:
                pairs = [(child, c, p) for p, c in join.join_cols]
                new = parent
            elif parent in known and child in known:
                pending.remove(alias)
                break
            else:
                continue
            conditions = _join_conditions(compiler, join)
            edges.append(Edge(new, tables[new], pairs, False, conditions, ""))
            known.add(new)
            pending.remove(alias)
            break
        else:
            raise NotSupportedError("The joins of this query are not connected.")
    # Outer joins (and joins hanging from them), in Django's order.
    for alias, table in tables.items():
        join = query.alias_map[alias]
        if alias in known or not isinstance(join, Join):
            continue
        pairs = [(join.parent_alias, p, c) for p, c in join.join_cols]
        outer = join.join_type == LOUTER
        edges.append(Edge(alias, table, pairs, outer, _join_conditions(compiler, join), ""))
        known.add(alias)
    return edges


# Running a plan
class Source:
    """The joined rows of a plan, read once (a subquery reuses them for every outer row)."""

    def __init__(self, plan: SelectPlan, ev: Evaluator, reads: Reads) -> None:
        self.plan = plan
        self.ev = ev
        self.reads = reads
        self._scans: dict[str, list[dict]] = {}

    def rows(self, limit: int | None = None) -> Iterator[Row]:
        access = self.plan.access
        if access is None:
            yield Row({})
            return
        plan = self.plan
        page = max(plan.high, SMALL_PAGE) if plan.streams and plan.high is not None else None
        records = self._read(access, limit, page)
        rows: Iterable[Row] = (Row({access.alias: record}) for record in records)
        for edge in self.plan.edges:
            rows = self._expand(edge, rows)
        yield from rows

    def _read(self, access: Access, limit: int | None, page: int | None) -> Iterator[dict]:
        if access.kind == "none":
            return iter(())
        if access.kind == "key":
            return self.reads.by_key(access.table, access.values, page)
        if access.kind == "index":
            return self.reads.by_index(access.table, access.column, access.values, page)
        if access.kind == "unique":
            return self._read_unique(access)
        return self.reads.scan(access.table, limit, page)

    def _read_unique(self, access: Access) -> Iterator[dict]:
        claims = uniqueness.Claims(self.reads.session)
        owners = claims.owners(access.condition.scope, access.values)
        connection = self.reads.session.wrapper
        keys = [uniqueness.owner_key(o, access.table.model, connection)[0] for o in owners]
        return self.reads.by_key(access.table, keys) if keys else iter(())

    def _expand(self, edge: Edge, rows: Iterable[Row]) -> Iterator[Row]:
        iterator = iter(rows)
        while True:
            chunk = list(itertools.islice(iterator, JOIN_BATCH))
            if not chunk:
                return
            keys = [self._key(edge, row) for row in chunk]
            matches = self._matching(edge, {k for k in keys if k is not None})
            for row, key in zip(chunk, keys, strict=True):
                produced = False
                for record in matches.get(key, ()) if key is not None else ():
                    joined = row.joined(edge.alias, record)
                    if all(self.ev.truth(c, joined) is True for c in edge.conditions):
                        produced = True
                        yield joined
                if not produced and edge.outer:
                    yield row.joined(edge.alias, None)

    @staticmethod
    def _key(edge: Edge, row: Row) -> tuple | None:
        key = tuple(row.column(alias, column) for alias, column, _ in edge.pairs)
        return None if any(part is None for part in key) else key

    def _matching(self, edge: Edge, keys: set[tuple]) -> dict[tuple, list[dict]]:
        if not keys:
            return {}
        firsts = [key[0] for key in keys]
        strategy = edge.strategy
        if strategy == "key":
            records: Iterable[dict] = self.reads.by_key(edge.table, firsts)
        elif strategy == "index" and len(firsts) <= INDEX_VALUES_MAX:
            records = self.reads.by_index(edge.table, edge.column, firsts)
        else:
            records = self._scan(edge.table)
        found: dict[tuple, list[dict]] = {}
        columns = [new for _, _, new in edge.pairs]
        for record in records:
            key = tuple(record.get(c) for c in columns)
            if key in keys:
                found.setdefault(key, []).append(record)
        return found

    def _scan(self, table: TableInfo) -> list[dict]:
        if table.name not in self._scans:
            self._scans[table.name] = list(self.reads.scan(table))
        return self._scans[table.name]


class Run:
    """The Python steps of a plan over its source rows."""

    def __init__(self, plan: SelectPlan, ev: Evaluator) -> None:
        self.plan = plan
        self.ev = ev

    def output(self, rows: Iterable[Row]) -> Iterator[list[Any]]:
        plan, ev = self.plan, self.ev
        if plan.where is not None:
            rows = (row for row in rows if ev.truth(plan.where, row) is True)
        contexts: Iterable[Row] = rows
        if plan.group_by is not None:
            contexts = self._groups(rows)
            if plan.having is not None:
                contexts = (g for g in contexts if ev.truth(plan.having, g) is True)
        projected = (self._project(ctx) for ctx in contexts)
        if plan.streams:
            stop = None if plan.high is None else plan.high
            for values_, _ in itertools.islice(projected, plan.low, stop):
                yield values_
            return
        collected = list(projected)
        if plan.order_by:
            collected = self._sorted(collected)
        if plan.distinct:
            collected = self._distinct(collected)
        end = None if plan.high is None else plan.high
        for values_, _ in collected[plan.low : end]:
            yield values_

    def _groups(self, rows: Iterable[Row]) -> list[Group]:
        terms = self.plan.group_by
        if not terms:
            # Aggregates over the whole result: one group, even of no rows.
            return [Group(list(rows))]
        groups: dict[tuple, list[Row]] = {}
        for row in rows:
            key = tuple(_hashable(self.ev.value(term, row)) for term in terms)
            groups.setdefault(key, []).append(row)
        return [Group(members) for members in groups.values()]

    def _project(self, ctx: Row) -> tuple[list[Any], Row]:
        values_ = []
        for expression, alias in self.plan.select:
            value = self.ev.value(expression, ctx)
            values_.append(value)
            if alias:
                ctx.names[alias] = value
        return values_, ctx

    def _sorted(self, collected: list[tuple[list[Any], Row]]) -> list[tuple[list[Any], Row]]:
        keyed = [
            ([self.ev.value(order.expression, ctx) for order in self.plan.order_by], item)
            for item in collected
            for ctx in [item[1]]
        ]
        for position in reversed(range(len(self.plan.order_by))):
            order = self.plan.order_by[position]
            descending = bool(order.descending)
            # NULLs sort as the smallest values (first ascending, last descending) unless
            # the ordering says otherwise.
            nulls_first = order.nulls_first or (not order.nulls_last and not descending)
            null_rank = (2 if nulls_first else 0) if descending else (0 if nulls_first else 2)
            keyed.sort(
                key=lambda entry, p=position, n=null_rank: _sort_key(entry[0][p], n),
                reverse=descending,
            )
        return [item for _, item in keyed]

    def _distinct(self, collected: list[tuple[list[Any], Row]]) -> list[tuple[list[Any], Row]]:
        seen: set[tuple] = set()
        kept = []
        for values_, ctx in collected:
            extra = [self.ev.value(e, ctx) for e in self.plan.extra_order]
            key = tuple(_hashable(v) for v in values_ + extra)
            if key not in seen:
                seen.add(key)
                kept.append((values_, ctx))
        return kept


def _sort_key(value: Any, null_rank: int) -> tuple:
    if value is None:
        return (null_rank,)
    return (1, value)


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, set):
        return frozenset(value)
    return value
