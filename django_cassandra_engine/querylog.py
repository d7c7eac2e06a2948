"""``connection.queries`` for Cassandra databases: each CQL request, with its time.

Django's SQL backends log queries through their cursor wrapper when ``DEBUG`` is on (or a test
forces it); DjangoCassandraModel queries go through cqlengine and the driver instead, so the log
is kept by a request listener on the driver session. Every request made through the session is
logged: cqlengine's, ``connection.cursor()``'s, sessions', ``sync_cassandra``'s. Entries are
Django's ``{"sql": ..., "time": ...}`` (the CQL as sent, values inlined as the driver binds
them), appended to the ``DatabaseWrapper`` of the thread that made the request, so
``connection.queries``, ``reset_queries`` and ``assertNumQueries`` work as with SQL. ``time``
(seconds, as text, to the microsecond) is filled in when the response arrives, on the driver's
event loop thread, which may be just after the caller has its rows.

A query of a Django model (``django.db.models.Model``) is logged as one entry, as SQL backends
log one statement per ORM query: its ``sql`` lists the CQL requests the query made, one per
line, and ``time`` is the whole query's (``orm_query``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cassandra.cluster import ResponseFuture, Session


def install(session: Session, alias: str) -> None:
    session.add_request_init_listener(_on_request, alias)


_current = threading.local()


@contextmanager
def orm_query(wrapper: Any) -> Iterator[None]:
    """Logs the CQL requests made inside the block as one entry of ``wrapper``'s log."""
    if not wrapper.queries_logged or getattr(_current, "statements", None) is not None:
        yield
        return
    _current.statements = statements = []
    started = time.perf_counter()
    try:
        yield
    finally:
        _current.statements = None
        if statements:
            wrapper.queries_log.append(
                {"sql": "\n".join(statements), "time": f"{time.perf_counter() - started:.6f}"}
            )


def record(text: str) -> None:
    """Adds one CQL request, as text with its values, to the entry orm_query is making."""
    statements = getattr(_current, "statements", None)
    if statements is not None:
        statements.append(text)


def _on_request(future: ResponseFuture, alias: str) -> None:
    from django.db import connections

    wrapper = connections[alias]  # the calling thread's: listeners run on the caller's thread
    if not wrapper.queries_logged:
        return
    if getattr(_current, "statements", None) is not None:
        return  # inside orm_query: the engine records its statements with their values
    entry: dict[str, Any] = {"sql": statement_text(future), "time": None}
    wrapper.queries_log.append(entry)
    started = time.perf_counter()

    def finished(_outcome: Any) -> None:
        # Called again for each further page; the first response's time is the query's.
        if entry["time"] is None:
            entry["time"] = f"{time.perf_counter() - started:.6f}"
        else:
            entry["pages"] = entry.get("pages", 1) + 1

    future.add_callbacks(finished, finished)


def statement_text(future: ResponseFuture) -> str:
    query = getattr(future.message, "query", None)
    if isinstance(query, str):
        return query  # a QUERY message: the text with values bound
    prepared = getattr(future.query, "prepared_statement", None)
    if prepared is not None:
        return f"{prepared.query_string} -- prepared"
    return str(future.query)
