"""The CQL each request ran, for the /cql/ page and each page's footer.

The backend logs every CQL request in ``connection.queries`` when DEBUG is on, as Django's SQL
backends log SQL. This middleware keeps the last requests' logs in memory, in this process.
"""

from __future__ import annotations

import collections
import itertools
import threading
import time
from typing import Any

from django.db import connections
from django.utils import timezone

from django_cassandra_engine import utils

RECENT_REQUESTS = 30
_recent: collections.deque[dict[str, Any]] = collections.deque(maxlen=RECENT_REQUESTS)
_lock = threading.Lock()
_numbers = itertools.count(1)
NOT_RECORDED = ("/static/", "/cql/", "/favicon.ico")


def _logs() -> list[Any]:
    return [connections[alias].queries_log for alias in utils.cassandra_aliases()]


def statements_so_far() -> list[dict[str, Any]]:
    return [entry for log in _logs() for entry in log]


def recent_requests() -> list[dict[str, Any]]:
    with _lock:
        return list(_recent)


def milliseconds(entry: dict[str, Any]) -> float | None:
    return None if entry["time"] is None else float(entry["time"]) * 1000


class RecordCQL:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        for log in _logs():
            log.clear()
        started = time.perf_counter()
        response = self.get_response(request)
        if not request.path.startswith(NOT_RECORDED):
            match = request.resolver_match
            record = {
                "number": next(_numbers),
                "method": request.method,
                "path": request.get_full_path(),
                "view": match.view_name if match else "",
                "status": response.status_code,
                "at": timezone.now(),
                "duration_ms": (time.perf_counter() - started) * 1000,
                # The entries themselves: each gets its time when its response arrives.
                "statements": statements_so_far(),
            }
            with _lock:
                _recent.appendleft(record)
        return response


class _Summary:
    """Evaluated when the template reads it, at the end of the page."""

    @property
    def count(self) -> int:
        return len(statements_so_far())

    @property
    def total_ms(self) -> float:
        return sum(milliseconds(entry) or 0 for entry in statements_so_far())


def cql_of_this_request(request: Any) -> dict[str, Any]:
    return {"cql": _Summary(), "cassandra": _server()}


def _server() -> dict[str, str]:
    alias = utils.default_cassandra_alias()
    config = connections[alias].config
    where = "the embedded cqld" if config.is_embedded else "Cassandra at " + ",".join(config.hosts)
    return {"keyspace": config.keyspace, "server": where}
