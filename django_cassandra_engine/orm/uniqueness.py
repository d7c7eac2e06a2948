"""Unique fields, ``unique_together`` and ``UniqueConstraint`` enforced atomically.

CQL has no unique constraints besides the primary key, so each unique value is *claimed*: a row
of ``django_cassandra_claims`` whose partition key is the constraint (``scope``: the table and
its columns) and the value, written with ``INSERT ... IF NOT EXISTS`` before the model's row
and naming the row that holds it (``owner``, its primary key). Of two writers of the same value
exactly one gets the claim; the other gets ``IntegrityError`` and writes nothing. Changing a
value claims the new one first and releases the old one after; deleting a row releases its
claims (``DELETE ... IF owner = <row>``).

A claim can outlive its row if a process dies between the two writes. A claim is therefore
taken over when it is older than ``CASSANDRA_CLAIM_GRACE_SECONDS`` (default 60) and its owner
row no longer holds the value; within that time it is honoured, since its row may still be
being written. Values with a NULL column are not claimed (SQL's NULLs are distinct).
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError

from django_cassandra_engine.orm import lwt, written
from django_cassandra_engine.orm.cql import Session
from django_cassandra_engine.orm.tables import TableInfo, primary_key_columns

TABLE = "django_cassandra_claims"
CREATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS {table} (scope text, value text, owner text, "
    "claimed_at timestamp, PRIMARY KEY ((scope, value))) "
    "WITH comment = 'Unique values of Django models (django_cassandra_engine)'"
)
DEFAULT_GRACE_SECONDS = 60
_ATTEMPTS = 5


@dataclass(frozen=True)
class Constraint:
    table: str
    columns: tuple[str, ...]
    name: str  # for messages: the field or constraint name

    @property
    def scope(self) -> str:
        return f"{self.table}({','.join(self.columns)})"

    def value(self, record: dict[str, Any]) -> str | None:
        parts = [record.get(c) for c in self.columns]
        if any(p is None for p in parts):
            return None
        return encode(parts)


def constraints(model: Any) -> list[Constraint]:
    """The uniqueness rules of the model's own table (not its parents', which their tables
    enforce): unique fields, ``unique_together``, unconditional ``UniqueConstraint``s on
    fields. The primary key is enforced by the row insert itself."""
    meta = model._meta
    table = meta.db_table
    pk_columns = tuple(primary_key_columns(model))
    local = {f.name: f for f in meta.local_concrete_fields}
    found: dict[tuple[str, ...], Constraint] = {}

    def add(field_names: Iterable[str], name: str) -> None:
        fields = [local.get(n) or _attname_field(local, n) for n in field_names]
        if any(f is None for f in fields):
            return  # a field of a parent table
        columns = tuple(f.column for f in fields)
        if columns and columns != pk_columns:
            found.setdefault(columns, Constraint(table, columns, name))

    for field in meta.local_concrete_fields:
        if field.unique and not field.primary_key:
            add([field.name], field.name)
    for names in meta.unique_together:
        add(names, ", ".join(names))
    for constraint in meta.constraints:
        fields = getattr(constraint, "fields", None)
        if (
            fields
            and type(constraint).__name__ == "UniqueConstraint"
            and constraint.condition is None
            and not getattr(constraint, "expressions", None)
        ):
            add(fields, constraint.name)
    return list(found.values())


def _attname_field(local: dict[str, Any], name: str) -> Any:
    for field in local.values():
        if field.attname == name:
            return field
    return None


def encode(parts: list[Any]) -> str:
    """A value as claim text: the same for equal values of the column's type."""
    return json.dumps([_canonical(p) for p in parts], separators=(",", ":"))


def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value else "NaN"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def owner_text(record: dict[str, Any], table: TableInfo) -> str:
    return encode([record.get(c) for c in table.key])


def owner_key(owner: str, model: Any, connection: Any) -> list[Any]:
    """The primary key values a claim's owner text names, as the key columns hold them."""
    fields = {f.column: f for f in model._meta.local_concrete_fields}
    key = []
    for column, part in zip(primary_key_columns(model), json.loads(owner), strict=True):
        field = fields[column]
        key.append(field.get_db_prep_value(field.to_python(part), connection))
    return key


def grace() -> datetime.timedelta:
    seconds = getattr(settings, "CASSANDRA_CLAIM_GRACE_SECONDS", DEFAULT_GRACE_SECONDS)
    return datetime.timedelta(seconds=float(seconds))


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _row(result: Any) -> dict[str, Any]:
    row = result.one()
    if isinstance(row, dict):
        return row
    return dict(zip(result.column_names, row, strict=True))


class Claims:
    """Claiming and releasing unique values in one database."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.table = session.table(TABLE)

    def _writing(self) -> None:
        written.wrote(self.session.keyspace, TABLE)

    def _insert_cql(self) -> str:
        return (
            f"INSERT INTO {self.table} (scope, value, owner, claimed_at) "
            "VALUES (?, ?, ?, ?) IF NOT EXISTS"
        )

    def first_attempts(self, claims: list[tuple[Constraint, str, str]]) -> list[bool]:
        """Tries many claims at once; whether each is this owner's now (a taken one goes
        through ``claim``, which looks at stale claims)."""
        self._writing()
        now = _now()
        params = ([c.scope, value, owner, now] for c, value, owner in claims)
        outcome: list[bool] = []
        try:
            for (_, _, owner), result in zip(
                claims, self.session.execute_each(self._insert_cql(), params), strict=True
            ):
                row = _row(result)
                outcome.append(bool(row["[applied]"]) or row.get("owner") == owner)
        except Exception as exc:
            if not lwt.outcome_unknown(exc):
                raise
        # Claims left undecided by an unknown outcome go through claim(), which recognizes
        # a claim of its own owner.
        return outcome + [False] * (len(claims) - len(outcome))

    def claim(
        self,
        constraint: Constraint,
        value: str,
        owner: str,
        holds: Any,
    ) -> None:
        """Claims ``value`` for the row ``owner``. ``holds(owner_text)`` tells whether the
        row named by an existing claim still holds the value (for stale claims)."""
        self._writing()
        insert = self._insert_cql()
        for _ in range(_ATTEMPTS):
            # Sent again if its outcome is unknown: a claim that was applied then shows this
            # owner (below).
            result = _row(
                lwt.repeating(
                    lambda: self.session.execute(insert, [constraint.scope, value, owner, _now()])
                )
            )
            if result["[applied]"]:
                return
            current = result.get("owner")
            if current == owner:
                return  # this row's own claim (a retry, or an unchanged value)
            claimed_at = result.get("claimed_at")
            stale = claimed_at is not None and _now() - claimed_at > grace()
            if not stale or holds(current):
                raise IntegrityError(
                    f"UNIQUE constraint failed: {constraint.table}."
                    f"{', '.join(constraint.columns)} ({constraint.name}): the value "
                    f"{value} is taken"
                )
            if self._take_over(constraint, value, current, owner):
                return
        raise IntegrityError(f"Could not claim {value} for {constraint.scope}: contention.")

    def _take_over(self, constraint: Constraint, value: str, previous: str, owner: str) -> bool:
        update = (
            f"UPDATE {self.table} SET owner = ?, claimed_at = ? "
            "WHERE scope = ? AND value = ? IF owner = ?"
        )
        try:
            result = _row(
                self.session.execute(update, [owner, _now(), constraint.scope, value, previous])
            )
        except Exception as exc:
            if lwt.outcome_unknown(exc):
                return False  # claim() tries again and sees whether this owner holds it
            raise
        return bool(result["[applied]"])

    def release(self, constraint: Constraint, value: str, owner: str) -> None:
        self._writing()
        delete = f"DELETE FROM {self.table} WHERE scope = ? AND value = ? IF owner = ?"
        lwt.repeating(lambda: self.session.execute(delete, [constraint.scope, value, owner]))

    def owners(self, scope: str, values: list[str]) -> list[str]:
        """The rows named by the claims of these values (a read, not a transaction: the
        caller checks the rows it finds)."""
        statement = f"SELECT owner FROM {self.table} WHERE scope = ? AND value = ?"
        found = []
        for result in self.session.execute_each(statement, ([scope, v] for v in values)):
            row = result.one()
            if row is not None:
                found.append(row["owner"] if isinstance(row, dict) else row[0])
        return found

    def forget_scope(self, scope: str) -> None:
        """Deletes every claim of a constraint (it was dropped, or its table was)."""
        self._writing()
        select = f"SELECT value FROM {self.table} WHERE scope = ? ALLOW FILTERING"
        delete = f"DELETE FROM {self.table} WHERE scope = ? AND value = ?"
        values = [
            r["value"] if isinstance(r, dict) else r[0]
            for r in self.session.execute(select, [scope])
        ]
        for _ in self.session.execute_each(delete, ([scope, v] for v in values)):
            pass
