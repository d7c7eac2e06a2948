"""Which tables of Django models this process has written since they were last emptied.

``flush`` between tests (Django's TestCase on a database without transactions) truncates the
tables that hold rows; finding out which do costs a read per table. While tests run, the test
process is the one writer, so the tables of Django models it has not written are known to be
empty and are skipped. Raw CQL through ``connection.cursor()`` marks the whole keyspace
unknown (every table is checked again).
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_written: dict[str, set[str]] = {}
_unknown: set[str] = set()


def wrote(keyspace: str, table: str) -> None:
    with _lock:
        _written.setdefault(keyspace, set()).add(table)


def wrote_anything(keyspace: str) -> None:
    with _lock:
        _unknown.add(keyspace)


def may_hold_rows(keyspace: str, table: str) -> bool:
    with _lock:
        return keyspace in _unknown or table in _written.get(keyspace, ())


def emptied(keyspace: str) -> None:
    with _lock:
        _written.pop(keyspace, None)
        _unknown.discard(keyspace)
