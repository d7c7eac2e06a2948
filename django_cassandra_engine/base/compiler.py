"""Django's query compilers for Cassandra (``DatabaseOperations.compiler_module``).

Django hands each ``Query`` of a ``django.db.models.Model`` to one of these classes. Django's
own compiler code still sets the query up (the select list and what ``select_related`` adds,
ORDER BY terms, the WHERE/HAVING split); ``compile()`` returns readable text instead of SQL
(orm/describe.py). Executing builds a plan (orm/plan.py) of CQL reads and Python steps and runs
it; writes go through orm/writes.py. ``QuerySet.explain()`` prints the plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import NotSupportedError
from django.db.models import aggregates as agg
from django.db.models import expressions as exp
from django.db.models.sql import compiler
from django.db.models.sql.constants import (
    CURSOR,
    GET_ITERATOR_CHUNK_SIZE,
    MULTI,
    NO_RESULTS,
    SINGLE,
)

from django_cassandra_engine import querylog
from django_cassandra_engine.orm import aggregates, functions, lookups, writes  # noqa: F401 (handlers)
from django_cassandra_engine.orm.cql import Budget, Reads, Session, max_scanned_rows
from django_cassandra_engine.orm.describe import describe
from django_cassandra_engine.orm.evaluate import Evaluator
from django_cassandra_engine.orm.plan import Run, SelectPlan, Source, build_select_plan
from django_cassandra_engine.orm.rows import Row

try:  # Django 5.x
    from django.db.models.sql.constants import ROW_COUNT
except ImportError:  # Django 4.2 reads the row count from a cursor
    ROW_COUNT = "row count"


class ResultCursor:
    """What ``execute_sql(CURSOR)`` returns: rows and a row count, as a DB-API cursor."""

    def __init__(self, rows: list[list[Any]] | None = None, rowcount: int = -1) -> None:
        self._rows = iter(rows or ())
        self.rowcount = rowcount if rows is None else len(rows)

    def fetchone(self) -> Any:
        return next(self._rows, None)

    def fetchmany(self, size: int = GET_ITERATOR_CHUNK_SIZE) -> list[Any]:
        return [row for _, row in zip(range(size), self._rows, strict=False)]

    def fetchall(self) -> list[Any]:
        return list(self._rows)

    def close(self) -> None:
        self._rows = iter(())

    def __enter__(self) -> ResultCursor:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def _chunks(rows: Iterator[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    chunk: list[list[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Subquery:
    """A nested query of this execution: planned once, its rows read once, its output kept
    when it does not depend on the outer row."""

    def __init__(self, compiler_: SQLCompiler) -> None:
        self.compiler = compiler_
        self.correlated = bool(compiler_.query.get_external_cols())
        self.rows: list[Row] | None = None
        self.output: list[list[Any]] | None = None

    def run(self, outer: Row) -> list[list[Any]]:
        if not self.correlated:
            if self.output is None:
                self.output = list(self.compiler.output_rows(None))
            return self.output
        if self.rows is None:
            self.rows = list(self.compiler.source_rows())
        return list(self.compiler.output_rows(outer, self.rows))


class SQLCompiler(compiler.SQLCompiler):
    """SELECT: a plan of CQL reads and Python steps."""

    parent: SQLCompiler | None = None

    # Django's setup, with text in place of SQL
    def compile(self, node: Any) -> tuple[str, list]:
        return describe(node), []

    def get_group_by(self, select: list, order_by: list) -> list[Any] | None:  # type: ignore[override]
        """The GROUP BY terms as expressions (Django's rules), or None without grouping."""
        if self.query.group_by is None:
            return None
        terms: list[Any] = []
        grouped_refs = set()
        if self.query.group_by is not True:
            for term in self.query.group_by:
                if not hasattr(term, "as_sql"):
                    term = self.query.resolve_ref(term)
                if isinstance(term, exp.Ref):
                    if term.refs not in grouped_refs:
                        grouped_refs.add(term.refs)
                        terms.append(term.source)
                else:
                    terms.append(term)
        for expression, _, alias in select:
            if alias not in grouped_refs:
                terms.extend(expression.get_group_by_cols())
        if not self._meta_ordering:
            for expression, (_, _, is_ref) in order_by:
                if not is_ref:
                    terms.extend(expression.get_group_by_cols())
        if self.having:
            terms.extend(self.having.get_group_by_cols())
        unique: list[Any] = []
        for term in terms:
            if not any(term is seen or _same(term, seen) for seen in unique):
                unique.append(term)
        return unique

    # Planning
    @property
    def evaluator(self) -> Evaluator:
        if self.parent is not None:
            return self.parent.evaluator
        ev = self.__dict__.get("_evaluator")
        if ev is None:
            ev = self.__dict__["_evaluator"] = Evaluator(self.connection, self._run_subquery)
        return ev

    @property
    def reads(self) -> Reads:
        if self.parent is not None:
            return self.parent.reads
        reads = self.__dict__.get("_reads")
        if reads is None:
            budget = Budget(max_scanned_rows(), self._advice())
            reads = self.__dict__["_reads"] = Reads(Session(self.connection), budget)
        return reads

    def _advice(self) -> str:
        return (
            "Filter on the primary key or on an indexed column (db_index=True, a unique "
            "field, a foreign key, Meta.indexes) so CQL can find the rows, or raise the "
            "limit."
        )

    def plan(self) -> SelectPlan:
        plan = self.__dict__.get("_plan")
        if plan is None:
            self._check_select_for_update()
            _, order_by, group_by = self.pre_sql_setup()
            extra_order = []
            if self.query.distinct:
                extra_order = [e for e, (_, _, is_ref) in order_by if not is_ref]
            orderings = [expression for expression, _ in order_by]
            if group_by is None and self._has_aggregates():
                group_by = []  # aggregates over all rows: one group
            plan = build_select_plan(self, self.evaluator, orderings, group_by, extra_order)
            self.__dict__["_plan"] = plan
        return plan

    def _check_select_for_update(self) -> None:
        """There are no row locks. select_for_update() raises, except plainly inside an
        atomic() block, where it reads without locking: Django's update_or_create() locks
        that way, and works as on other databases without row locks (not atomic)."""
        query = self.query
        if not query.select_for_update:
            return
        options = (
            query.select_for_update_nowait
            or query.select_for_update_skip_locked
            or query.select_for_update_of
            or getattr(query, "select_for_no_key_update", False)
        )
        if options or not self.connection.in_atomic_block:
            raise NotSupportedError(
                "select_for_update() is not supported on Cassandra: there are no row locks."
            )

    def _has_aggregates(self) -> bool:
        expressions = [e for e, _, _ in self.select]
        if self.having:
            expressions.append(self.having)
        return any(getattr(e, "contains_aggregate", False) for e in expressions)

    def _run_subquery(self, query: Any, outer: Row) -> list[list[Any]]:
        cache = self.__dict__.setdefault("_subqueries", {})
        entry = cache.get(id(query))
        if entry is None or entry[0] is not query:
            inner = query.get_compiler(connection=self.connection)
            inner.parent = self
            entry = cache[id(query)] = (query, _Subquery(inner))
        return entry[1].run(outer)

    # Running
    def source_rows(self, limit: int | None = None) -> Iterator[Row]:
        return Source(self.plan(), self.evaluator, self.reads).rows(limit)

    def output_rows(self, outer: Row | None, rows: list[Row] | None = None) -> Iterator[list[Any]]:
        if self.query.combinator:
            yield from self._combined_rows(outer)
            return
        plan = self.plan()
        if rows is None:
            count = self._count_in_cql(plan)
            if count is not None:
                yield [count]
                return
            rows = self.source_rows(self._cql_limit(plan))
        source = rows if outer is None else (row.with_outer(outer) for row in rows)
        yield from Run(plan, self.evaluator).output(source)

    # union(), intersection(), difference()
    def _part_compilers(self) -> list[SQLCompiler]:
        compilers = []
        for query in self.query.combined_queries:
            selected = getattr(self.query, "selected", None)  # Django 5.2
            if selected is not None and query.selected is None:
                query = query.clone()
                query.set_values(selected)
            elif selected is None and self.query.values_select and not query.values_select:
                query = query.clone()  # Django 4.2
                query.set_values(
                    (
                        *self.query.extra_select,
                        *self.query.values_select,
                        *self.query.annotation_select,
                    )
                )
            part = query.get_compiler(connection=self.connection, elide_empty=self.elide_empty)
            part.parent = self
            compilers.append(part)
        return compilers

    def _combined_rows(self, outer: Row | None) -> Iterator[list[Any]]:
        self._check_select_for_update()
        if not getattr(self, "_combined_setup", False):
            self.setup_query(with_col_aliases=True)
            self._combined_order = [expression for expression, _ in self.get_order_by()]
            self._combined_setup = True
        parts = [list(part.output_rows(outer)) for part in self._part_compilers()]
        combinator = self.query.combinator
        rows = _combine(combinator, parts, self.query.combinator_all)
        names = [
            alias or getattr(getattr(expression, "target", None), "column", None) or f"col{i}"
            for i, (expression, _, alias) in enumerate(self.select, start=1)
        ]
        contexts = [Row({}, dict(zip(names, values, strict=False)), outer) for values in rows]
        plan = SelectPlan(
            access=None,
            edges=[],
            where=None,
            having=None,
            group_by=None,
            select=[
                (exp.Ref(name, expression), None)
                for name, (expression, _, _) in zip(names, self.select, strict=True)
            ],
            order_by=self._combined_order,
            distinct=False,
            low=self.query.low_mark,
            high=self.query.high_mark,
            extra_order=[],
        )
        yield from Run(plan, self.evaluator).output(contexts)

    @staticmethod
    def _cql_limit(plan: SelectPlan) -> int | None:
        """A LIMIT for CQL when the rows it returns are the query's (a scan with nothing
        evaluated in Python)."""
        simple = plan.streams and not plan.python_filter and not plan.edges
        if simple and plan.access is not None and plan.access.kind == "scan":
            return plan.high
        return None

    def _count_in_cql(self, plan: SelectPlan) -> int | None:
        """``count()`` answered by CQL's COUNT(*) when CQL finds exactly the rows."""
        if len(plan.select) != 1 or plan.group_by != [] or plan.having is not None:
            return None
        expression = plan.select[0][0]
        if not (
            isinstance(expression, agg.Count)
            and isinstance(expression.source_expressions[0], exp.Star)
            and expression.filter is None
            and not expression.distinct
        ):
            return None
        access = plan.access
        if access is None or plan.edges or plan.python_filter or plan.distinct:
            return None
        if plan.low or plan.high is not None:
            return None
        if access.kind == "none":
            return 0
        if access.kind == "scan":
            return self.reads.count(access.table)
        if len(access.values) == 1:
            return self.reads.count(access.table, access.column, access.values[0])
        return None

    def execute_sql(
        self,
        result_type: str = MULTI,
        chunked_fetch: bool = False,
        chunk_size: int = GET_ITERATOR_CHUNK_SIZE,
    ) -> Any:
        result_type = result_type or NO_RESULTS
        with querylog.orm_query(self.connection), self.connection.wrap_database_errors:
            rows = self.output_rows(None)
            if result_type == SINGLE:
                first = next(rows, None)
                return None if first is None else first[: self.col_count]
            if result_type == NO_RESULTS:
                for _ in rows:
                    pass
                return None
            collected = list(rows)
        if result_type == CURSOR:
            return ResultCursor(collected)
        if result_type == ROW_COUNT:
            return len(collected)
        return list(_chunks(iter(collected), chunk_size))

    def has_results(self) -> bool:
        return self.execute_sql(SINGLE) is not None

    def results_iter(self, results: Any = None, tuple_expected: bool = False, **kwargs: Any):
        # Rows are lists; Django 4.2 makes them tuples only when a column has converters, so
        # values_list() rows (set members in create_permissions) need it done here.
        rows = super().results_iter(results, tuple_expected, **kwargs)
        return map(tuple, rows) if tuple_expected else rows

    def explain_query(self) -> Iterator[str]:
        info = self.query.explain_info
        self.connection.ops.explain_query_prefix(info.format, **info.options)
        plan = self.plan()
        yield from plan.describe()
        if info.options.get("analyze"):
            rows = list(self.output_rows(None))
            yield f"     {len(rows)} rows returned, {self.reads.budget.read} rows read from CQL"

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, tuple]:
        """The plan as text (``str(queryset.query)``); nothing here is SQL to run."""
        try:
            text = "; ".join(line.strip() for line in self.plan().describe())
        except NotSupportedError as error:
            text = f"(cannot run on Cassandra: {error})"
        return text.replace("%", "%%"), ()


def _combine(combinator: str, parts: list[list[list[Any]]], keep_all: bool) -> list[list[Any]]:
    """SQL's UNION [ALL], INTERSECT and EXCEPT over the parts' rows (first occurrences kept,
    in order)."""

    def key(values: list[Any]) -> tuple:
        return tuple(_hashable_value(v) for v in values)

    if combinator == "union":
        rows = [row for part in parts for row in part]
        if keep_all:
            return rows
        unique: dict[tuple, list[Any]] = {}
        for row in rows:
            unique.setdefault(key(row), row)
        return list(unique.values())
    first, others = parts[0], parts[1:]
    seen: set[tuple] = set()
    kept = []
    other_keys = [{key(row) for row in part} for part in others]
    for row in first:
        k = key(row)
        if k in seen:
            continue
        if combinator == "intersection" and all(k in keys for keys in other_keys):
            kept.append(row)
        elif combinator == "difference" and not any(k in keys for keys in other_keys):
            kept.append(row)
        seen.add(k)
    return kept


def _hashable_value(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


class SQLInsertCompiler(compiler.SQLInsertCompiler, SQLCompiler):
    def execute_sql(self, returning_fields: Any = None) -> list[tuple]:
        with querylog.orm_query(self.connection), self.connection.wrap_database_errors:
            return writes.insert(self, returning_fields)


class SQLDeleteCompiler(compiler.SQLDeleteCompiler, SQLCompiler):
    def execute_sql(self, result_type: str = MULTI, *args: Any, **kwargs: Any) -> Any:
        with querylog.orm_query(self.connection), self.connection.wrap_database_errors:
            count = writes.delete(self)
        if result_type == CURSOR:
            return ResultCursor(rowcount=count)
        return count


class SQLUpdateCompiler(compiler.SQLUpdateCompiler, SQLCompiler):
    def execute_sql(self, result_type: str) -> Any:
        with querylog.orm_query(self.connection), self.connection.wrap_database_errors:
            count = writes.update(self)
        # Related updates (multi-table inheritance) run as queries of their own.
        for query in self.query.get_related_updates():
            related = query.get_compiler(self.using).execute_sql(result_type)
            if not count and related:
                count = related
        return count  # Django reads the row count from the update compiler itself


class SQLAggregateCompiler(SQLCompiler):
    """``SELECT <aggregates> FROM (<inner query>)``: the aggregates over the inner query's
    output rows, each row's columns named by the inner select aliases."""

    def plan(self) -> SelectPlan:
        raise NotSupportedError("An aggregate query is planned through its inner query.")

    def output_rows(self, outer: Row | None, rows: list[Row] | None = None) -> Iterator[list[Any]]:
        inner = self.query.inner_query.get_compiler(
            self.using, connection=self.connection, elide_empty=self.elide_empty
        )
        inner.parent = self
        inner_plan = inner.plan()
        names = [alias or f"col{i}" for i, (_, alias) in enumerate(inner_plan.select, start=1)]
        members = [
            Row({}, dict(zip(names, values, strict=True)), outer)
            for values in inner.output_rows(outer)
        ]
        from django_cassandra_engine.orm.rows import Group

        group = Group(members, outer)
        annotations = list(self.query.annotation_select.values())
        self.col_count = len(annotations)
        yield [self.evaluator.value(annotation, group) for annotation in annotations]

    def explain_query(self) -> Iterator[str]:
        inner = self.query.inner_query.get_compiler(self.using, connection=self.connection)
        yield from inner.plan().describe()
        terms = ", ".join(describe(a) for a in self.query.annotation_select.values())
        yield f"PY   aggregate {terms}"

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, tuple]:
        return "aggregate over (subquery)", ()

    def execute_sql(
        self,
        result_type: str = MULTI,
        chunked_fetch: bool = False,
        chunk_size: int = GET_ITERATOR_CHUNK_SIZE,
    ) -> Any:
        with querylog.orm_query(self.connection), self.connection.wrap_database_errors:
            row = next(self.output_rows(None))
        if result_type == SINGLE:
            return row
        return [[row]]
