"""INSERT, UPDATE and DELETE of Django models.

- Inserts write each row with ``INSERT ... IF NOT EXISTS``, so an existing primary key raises
  ``IntegrityError`` as in SQL instead of overwriting the row; ``AutoField`` values come from
  ``sequences.py``; unique values are claimed first (``uniqueness.py``). Columns left NULL are
  not written (no tombstones).
- Updates read the matching rows (through the select plan), compute the new values in Python
  (``F()`` expressions included), claim changed unique values, and write each row with
  ``UPDATE ... IF EXISTS``, so a row deleted meanwhile is not brought back. ``save()`` of a
  model without unique fields skips the read. The count is of rows matched, as Django expects.
- Deletes read the matching rows' keys and unique values, delete by primary key, and release
  the claims.

Columns declared NOT NULL in Django (``null=False``) and positive integer fields are checked
here, as SQL databases check them, with ``IntegrityError``. There are no transactions: a bulk
operation that fails part way leaves the rows it already wrote.
"""

from __future__ import annotations

from typing import Any

from cassandra.metadata import protect_name
from cassandra.query import UNSET_VALUE
from django.core.exceptions import FieldError
from django.db import IntegrityError
from django.db.models import expressions as exp
from django.db.models import lookups as lk
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, WhereNode

from django_cassandra_engine.orm import sequences, uniqueness, written
from django_cassandra_engine.orm.cql import Session
from django_cassandra_engine.orm.rows import Row
from django_cassandra_engine.orm.tables import TableInfo, table_info

AUTO_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField")
POSITIVE_FIELDS = ("PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField")
_COLLISION_RETRIES = 20


def _applied(result: Any) -> bool:
    row = result.one()
    if row is None:
        return True
    return bool(row["[applied]"] if isinstance(row, dict) else row[0])


def _param(value: Any) -> Any:
    # A NULL column is left unset rather than written as a tombstone.
    return UNSET_VALUE if value is None else value


def check_value(table: TableInfo, field: Any, value: Any) -> None:
    """What SQL databases check on write: NOT NULL columns and positive integer fields."""
    if value is None:
        # A primary key column is NOT NULL too (generated AutoField values are in by now).
        if not field.null or field.primary_key:
            raise IntegrityError(f"NOT NULL constraint failed: {table.name}.{field.column}")
        return
    if field.get_internal_type() in POSITIVE_FIELDS and value < 0:
        raise IntegrityError(
            f"CHECK constraint failed: {table.name}.{field.column} must be positive"
        )


class Writer:
    """Writes of one model's table in one database."""

    def __init__(self, compiler: Any, model: Any) -> None:
        self.compiler = compiler
        self.connection = compiler.connection
        self.session = Session(self.connection)
        self.model = model._meta.concrete_model
        self.table = table_info(self.model)
        self.fields = {f.column: f for f in self.model._meta.local_concrete_fields}
        self.constraints = uniqueness.constraints(self.model)
        self.claims = uniqueness.Claims(self.session)

    @property
    def name(self) -> str:
        written.wrote(self.session.keyspace, self.table.name)
        return self.session.table(self.table.name)

    # Evaluating values
    def evaluate(self, value: Any, row: Row) -> Any:
        if not hasattr(value, "resolve_expression"):
            return value
        from django_cassandra_engine.orm.evaluate import Evaluator

        evaluator = Evaluator(self.connection, self._no_subquery)
        return evaluator.value(value, row)

    def _no_subquery(self, query: Query, row: Row) -> list[list[Any]]:
        compiler = query.get_compiler(connection=self.connection)
        return list(compiler.output_rows(row))

    # Uniqueness
    def holder(self, constraint: uniqueness.Constraint, value: str) -> Any:
        """``holds(owner)``: whether the row named ``owner`` holds ``value`` now."""

        def holds(owner: str | None) -> bool:
            if owner is None:
                return False
            record = self.read_by_owner(owner)
            return record is not None and constraint.value(record) == value

        return holds

    def read_by_owner(self, owner: str) -> dict[str, Any] | None:
        key = uniqueness.owner_key(owner, self.model, self.connection)
        where = " AND ".join(f"{protect_name(c)} = ?" for c in self.table.key)
        columns = ", ".join(protect_name(c) for c in self.table.columns)
        result = self.session.execute(
            f"SELECT {columns} FROM {self.session.table(self.table.name)} WHERE {where}", key
        )
        records = list(self.session.records(result, self.table, None))
        return records[0] if records else None

    def claim_all(self, record: dict[str, Any], previous: dict[str, Any] | None = None) -> list:
        """Claims the record's unique values (those that changed from ``previous``); returns
        what was claimed, for release if the write fails."""
        owner = uniqueness.owner_text(record, self.table)
        taken = []
        try:
            for constraint in self.constraints:
                value = constraint.value(record)
                if value is None:
                    continue
                if previous is not None and constraint.value(previous) == value:
                    continue
                self.claims.claim(constraint, value, owner, self.holder(constraint, value))
                taken.append((constraint, value, owner))
        except Exception:
            self.release(taken)
            raise
        return taken

    def release(self, claims: list) -> None:
        for constraint, value, owner in claims:
            self.claims.release(constraint, value, owner)

    def release_record(self, record: dict[str, Any], keep: dict[str, Any] | None = None) -> None:
        owner = uniqueness.owner_text(record, self.table)
        for constraint in self.constraints:
            value = constraint.value(record)
            if value is None or (keep is not None and constraint.value(keep) == value):
                continue
            self.claims.release(constraint, value, owner)

    # Inserting
    def insert_record(self, record: dict[str, Any], allocated: str | None) -> dict[str, Any]:
        """Writes one new row; ``allocated`` names the AutoField column whose value came from
        the sequence (then a collision takes the next value instead of failing)."""
        for _ in range(_COLLISION_RETRIES):
            taken = self.claim_all(record)
            try:
                applied = self._insert(record)
            except Exception:
                self.release(taken)
                raise
            if applied:
                return record
            self.release(taken)
            if allocated is None:
                key = ", ".join(f"{c}={record[c]!r}" for c in self.table.key)
                raise IntegrityError(
                    f"UNIQUE constraint failed: {self.table.name} primary key ({key}) exists"
                )
            record[allocated] = sequences.allocate(self.session, self.table.name)[0]
        raise IntegrityError(f"No free value for {self.table.name}.{allocated}.")

    def insert_many(
        self, records: list[dict[str, Any]], allocated: str | None, ignore: bool
    ) -> list[dict[str, Any]]:
        """Writes new rows with their claims, many requests in flight at once. Rows that
        cannot be written (a taken key or unique value) are skipped with ``ignore``, else the
        first such error is raised once the others are written (there is no transaction to
        undo them)."""
        owners = [uniqueness.owner_text(record, self.table) for record in records]
        jobs = [
            (i, constraint, value)
            for i, record in enumerate(records)
            for constraint in self.constraints
            if (value := constraint.value(record)) is not None
        ]
        taken: dict[int, list] = {i: [] for i in range(len(records))}
        failed: dict[int, Exception] = {}
        attempts = self.claims.first_attempts([(c, v, owners[i]) for i, c, v in jobs])
        for (i, constraint, value), applied in zip(jobs, attempts, strict=True):
            if not applied:
                try:
                    holds = self.holder(constraint, value)
                    self.claims.claim(constraint, value, owners[i], holds)
                except IntegrityError as error:
                    failed.setdefault(i, error)
                    continue
            taken[i].append((constraint, value, owners[i]))
        for i in failed:
            self.release(taken.pop(i))
        pending = [i for i in range(len(records)) if i not in failed]
        cql, columns = self._insert_statement()
        params = ([_param(records[i].get(c)) for c in columns] for i in pending)
        for i, result in zip(pending, self.session.execute_each(cql, params), strict=True):
            if _applied(result):
                continue
            self.release(taken.pop(i))
            try:
                if allocated is None:
                    raise IntegrityError(
                        f"UNIQUE constraint failed: {self.table.name} primary key exists"
                    )
                records[i][allocated] = sequences.allocate(self.session, self.table.name)[0]
                self.insert_record(records[i], allocated)
            except IntegrityError as error:
                failed.setdefault(i, error)
        if failed and not ignore:
            raise failed[min(failed)]
        return [record for i, record in enumerate(records) if i not in failed]

    def _insert_statement(self) -> tuple[str, list[str]]:
        columns = list(self.table.columns)
        names = ", ".join(protect_name(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        return f"INSERT INTO {self.name} ({names}) VALUES ({marks}) IF NOT EXISTS", columns

    def _insert(self, record: dict[str, Any]) -> bool:
        cql, columns = self._insert_statement()
        return _applied(self.session.execute(cql, [_param(record.get(c)) for c in columns]))

    # Updating
    def update_record(self, key: list[Any], changes: dict[str, Any]) -> bool:
        assignments = ", ".join(f"{protect_name(c)} = ?" for c in changes)
        where = " AND ".join(f"{protect_name(c)} = ?" for c in self.table.key)
        cql = f"UPDATE {self.name} SET {assignments} WHERE {where} IF EXISTS"
        return _applied(self.session.execute(cql, [*changes.values(), *key]))

    def delete_records(self, records: list[dict[str, Any]]) -> None:
        where = " AND ".join(f"{protect_name(c)} = ?" for c in self.table.key)
        cql = f"DELETE FROM {self.name} WHERE {where}"
        keys = ([record[c] for c in self.table.key] for record in records)
        for _ in self.session.execute_each(cql, keys):
            pass


def insert(compiler: Any, returning_fields: Any) -> list[tuple]:
    query = compiler.query
    writer = Writer(compiler, query.model)
    meta = query.get_meta()
    fields = [f for f in query.fields if f.column in writer.fields]
    auto = meta.auto_field
    if auto is None or auto.column not in writer.fields:
        auto = None
    on_conflict = getattr(query, "on_conflict", None)
    ignore = on_conflict is not None and getattr(on_conflict, "name", "") == "IGNORE"
    generated = auto is not None and auto not in fields
    count = len(query.objs) if generated else 0
    ids = iter(sequences.allocate(writer.session, writer.table.name, count) if count else ())
    records = []
    for obj in query.objs:
        record: dict[str, Any] = {c: None for c in writer.table.columns}
        for field in fields:
            value = compiler.prepare_value(field, compiler.pre_save_val(field, obj))
            record[field.column] = writer.evaluate(value, Row({}))
        if generated:
            record[auto.column] = next(ids)
        for column, field in writer.fields.items():
            check_value(writer.table, field, record.get(column))
        records.append(record)
    allocated = auto.column if generated else None
    if len(records) == 1:
        try:
            inserted = [writer.insert_record(records[0], allocated)]
        except IntegrityError:
            if not ignore:
                raise
            inserted = []
    else:
        inserted = writer.insert_many(records, allocated, ignore)
    if auto is not None and not generated:
        explicit = [r[auto.column] for r in inserted if isinstance(r.get(auto.column), int)]
        if explicit:
            sequences.advance_past(writer.session, writer.table.name, max(explicit))
    if not returning_fields:
        return []
    returned = [tuple(record.get(f.column) for f in returning_fields) for record in inserted]
    converters = compiler.get_converters([f.get_col(meta.db_table) for f in returning_fields])
    if converters:
        returned = [tuple(r) for r in compiler.apply_converters(returned, converters)]
    return returned


def _pk_values(where: Any, table: TableInfo, connection: Any) -> list[Any] | None:
    """The primary key values of a filter that is only ``pk = value`` or ``pk IN values``."""
    if not isinstance(where, WhereNode) or where.negated or where.connector != AND:
        return None
    if len(where.children) != 1 or table.single_key is None:
        return None
    condition = where.children[0]
    if isinstance(condition, WhereNode):
        return _pk_values(condition, table, connection)
    if not isinstance(condition, (lk.Exact, lk.In)) or condition.lookup_name not in ("exact", "in"):
        return None
    if not isinstance(condition.lhs, exp.Col) or condition.lhs.target.column != table.single_key:
        return None
    if hasattr(condition.rhs, "resolve_expression") or isinstance(condition.rhs, Query):
        return None
    rhs = (
        [v for v in condition.rhs if v is not None]
        if isinstance(condition, lk.In)
        else condition.rhs
    )
    _, params = condition.get_db_prep_lookup(rhs, connection)
    return [v for v in params if v is not None]


def _rows_query(query: Any, fields: list[Any]) -> Query:
    """A SELECT of the fields' columns of the rows the UPDATE or DELETE query matches."""
    rows = query.chain(klass=Query)
    rows.select_related = False
    rows.clear_ordering(force=True)
    rows.extra = {}
    rows.default_cols = False
    alias = rows.get_initial_alias()
    rows.select = tuple(field.get_col(alias) for field in fields)
    return rows


def _matching_records(compiler: Any, writer: Writer) -> list[dict[str, Any]]:
    fields = list(writer.fields.values())
    rows = _rows_query(compiler.query, fields)
    select = rows.get_compiler(connection=compiler.connection)
    columns = [f.column for f in fields]
    # Annotations the filter uses (an aggregate in HAVING) come after the columns.
    return [
        dict(zip(columns, values[: len(columns)], strict=True))
        for values in select.output_rows(None)
    ]


def update(compiler: Any) -> int:
    compiler.pre_sql_setup()  # Django's: conditions on other tables become pk__in
    query = compiler.query
    if not query.values:
        return 0
    writer = Writer(compiler, query.model)
    alias = query.get_initial_alias()
    changes = []
    for field, _, value in query.values:
        if hasattr(value, "resolve_expression"):
            value = value.resolve_expression(query, allow_joins=False, for_save=True)
            # Django's messages: SQL cannot update a row from an aggregate or window either.
            if value.contains_aggregate:
                raise FieldError(
                    f"Aggregate functions are not allowed in this query ({field.name}={value!r})."
                )
            if value.contains_over_clause:
                raise FieldError(
                    f"Window expressions are not allowed in this query ({field.name}={value!r})."
                )
        elif hasattr(value, "prepare_database_save"):
            if not field.remote_field:
                raise TypeError(
                    f"Tried to update field {field} with a model instance, {value!r}. Use a "
                    f"value compatible with {field.__class__.__name__}."
                )
            value = value.prepare_database_save(field)
        changes.append((field, field.get_db_prep_save(value, connection=compiler.connection)))
    touched = {field.column for field, _ in changes}
    writer.constraints = [c for c in writer.constraints if set(c.columns) & touched]
    computed = any(hasattr(v, "resolve_expression") for _, v in changes)
    keys = _pk_values(query.where, writer.table, compiler.connection)
    if keys is not None and not computed and not writer.constraints:
        new = {field.column: value for field, value in changes}
        for field, value in changes:
            check_value(writer.table, field, value)
        return sum(writer.update_record([key], new) for key in dict.fromkeys(keys))
    count = 0
    for record in _matching_records(compiler, writer):
        row = Row({alias: record})
        new = dict(record)
        for field, value in changes:
            new[field.column] = writer.evaluate(value, row)
            check_value(writer.table, field, new[field.column])
        taken = writer.claim_all(new, previous=record)
        try:
            applied = writer.update_record(
                [record[c] for c in writer.table.key],
                {field.column: new[field.column] for field, _ in changes},
            )
        except Exception:
            writer.release(taken)
            raise
        if applied:
            count += 1
            writer.release_record(record, keep=new)
        else:
            writer.release(taken)
    return count


def delete(compiler: Any) -> int:
    query = compiler.query
    writer = Writer(compiler, query.model)
    records = _matching_records(compiler, writer)
    if not records:
        return 0
    writer.delete_records(records)
    if writer.constraints:
        for record in records:
            writer.release_record(record)
    return len(records)
