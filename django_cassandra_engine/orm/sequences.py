"""``AutoField`` values that are unique across processes and nodes.

Each table with an auto-incrementing primary key has a row in ``django_cassandra_sequences``
(``name`` = the table, ``next_value``). A process reserves a block of values by moving
``next_value`` forward with a lightweight transaction (``UPDATE ... IF next_value = <read>``,
or ``INSERT ... IF NOT EXISTS`` for the first block), then hands the block's values out one by
one. Blocks start at one value and double with each reservation up to
``CASSANDRA_ID_BLOCK_SIZE`` (default 100), so a process that creates one row takes one value
and bulk inserts take one round trip per block.

Values are increasing within a process; across processes they interleave by block, and a
process that exits leaves the rest of its block unused (gaps, as sequences in SQL databases
leave). An explicit value (``Model(id=500)``, fixtures) moves the sequence past it, so later
automatic values do not collide with it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from cassandra import ConsistencyLevel
from django.conf import settings

from django_cassandra_engine.orm import lwt
from django_cassandra_engine.orm.cql import Session

TABLE = "django_cassandra_sequences"
CREATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS {table} (name text PRIMARY KEY, next_value bigint) "
    "WITH comment = 'AutoField sequences of Django models (django_cassandra_engine)'"
)
DEFAULT_BLOCK = 100
_ATTEMPTS = 100


def block_limit() -> int:
    return max(1, int(getattr(settings, "CASSANDRA_ID_BLOCK_SIZE", DEFAULT_BLOCK)))


@dataclass
class _Block:
    next: int = 0
    end: int = 0  # exclusive
    size: int = 1


_lock = threading.Lock()
_blocks: dict[tuple[str, str, str], _Block] = {}


def _key(session: Session, sequence: str) -> tuple[str, str, str]:
    return (session.wrapper.alias, session.keyspace, sequence)


def allocate(session: Session, sequence: str, count: int = 1) -> list[int]:
    """``count`` new values of the sequence (the table's name)."""
    values: list[int] = []
    with _lock:
        block = _blocks.setdefault(_key(session, sequence), _Block())
        while len(values) < count:
            if block.next >= block.end:
                wanted = max(count - len(values), block.size)
                block.next, block.end = _reserve(session, sequence, wanted)
                block.size = min(block.size * 2, block_limit())
            take = min(count - len(values), block.end - block.next)
            values.extend(range(block.next, block.next + take))
            block.next += take
    return values


def advance_past(session: Session, sequence: str, value: int) -> None:
    """Makes later values of the sequence greater than ``value`` (an explicitly given key)."""
    with _lock:
        block = _blocks.get(_key(session, sequence))
        if block is not None and block.next <= value < block.end:
            block.next = value + 1
            return
        if block is not None and value < block.end:
            return  # below what this process has reserved: the sequence is already past it
    for _ in range(_ATTEMPTS):
        current = _read(session, sequence)
        if current is not None and current > value:
            return
        if current is None:
            if _insert_first(session, sequence, value + 1):
                return
        elif _move(session, sequence, current, value + 1):
            return
    raise RuntimeError(f"Could not move the sequence {sequence} past {value}.")


def reset(session: Session, sequence: str) -> None:
    """Starts the sequence again at 1 (``flush`` with ``reset_sequences``)."""
    session.execute(f"DELETE FROM {session.table(TABLE)} WHERE name = ?", [sequence])
    with _lock:
        _blocks.pop(_key(session, sequence), None)


def forget(alias: str | None = None) -> None:
    """Drops the blocks this process holds (the sequences were emptied or dropped)."""
    with _lock:
        for key in [k for k in _blocks if alias is None or k[0] == alias]:
            del _blocks[key]


def _read(session: Session, sequence: str) -> int | None:
    statement = f"SELECT next_value FROM {session.table(TABLE)} WHERE name = ?"
    bound = session.prepare(statement).bind([sequence])
    bound.consistency_level = ConsistencyLevel.SERIAL  # the latest committed reservation
    row = lwt.repeating(lambda: session.driver.execute(bound).one())
    if row is None:
        return None
    return row["next_value"] if isinstance(row, dict) else row[0]


def _applied(result: Any) -> bool:
    row = result.one()
    return bool(row["[applied]"] if isinstance(row, dict) else row[0])


def _insert_first(session: Session, sequence: str, next_value: int) -> bool:
    statement = f"INSERT INTO {session.table(TABLE)} (name, next_value) VALUES (?, ?) IF NOT EXISTS"
    return _applied_if_known(session, statement, [sequence, next_value])


def _move(session: Session, sequence: str, expected: int, next_value: int) -> bool:
    statement = f"UPDATE {session.table(TABLE)} SET next_value = ? WHERE name = ? IF next_value = ?"
    return _applied_if_known(session, statement, [next_value, sequence, expected])


def _applied_if_known(session: Session, statement: str, params: list[Any]) -> bool:
    """Whether the reservation was applied; False also when Cassandra cannot tell: the caller
    reads the sequence again and reserves from there, so at worst a block is skipped (a gap),
    and no value is ever handed out twice."""
    try:
        return _applied(session.execute(statement, params))
    except Exception as exc:
        if lwt.outcome_unknown(exc):
            return False
        raise


def _reserve(session: Session, sequence: str, count: int) -> tuple[int, int]:
    for _ in range(_ATTEMPTS):
        current = _read(session, sequence)
        if current is None:
            if _insert_first(session, sequence, 1 + count):
                return 1, 1 + count
        elif _move(session, sequence, current, current + count):
            return current, current + count
    raise RuntimeError(f"Could not reserve values of the sequence {sequence}: too much contention.")
