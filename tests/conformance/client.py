"""Running one CQL statement through the DataStax driver (protocol v4) and keeping what the server answered.

Results are taken from the server's RESULT/ERROR message itself (kind, raw row bytes, error code and message),
not from the driver's Python objects, so VOID, SET_KEYSPACE and SCHEMA_CHANGE stay distinct and every value is
compared by its bytes (see render.py).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field

from cassandra import ConsistencyLevel, ProtocolVersion
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile, Session
from cassandra.policies import FallthroughRetryPolicy, WhiteListRoundRobinPolicy
from cassandra.protocol import (
    RESULT_KIND_ROWS,
    RESULT_KIND_SCHEMA_CHANGE,
    RESULT_KIND_SET_KEYSPACE,
    RESULT_KIND_VOID,
    ErrorMessage,
    ResultMessage,
    _ProtocolHandler,
    read_int,
)
from cassandra.query import SimpleStatement

import render

REQUEST_TIMEOUT_SECONDS = 60.0
INDEX_BUILD_WAIT_SECONDS = 60.0
INDEX_BUILD_POLL_SECONDS = 0.1

# Error codes of the native protocol v4 (section 9), by the names the case files use.
ERROR_NAMES = {
    0x0000: "ServerError",
    0x000A: "ProtocolError",
    0x0100: "BadCredentials",
    0x1000: "Unavailable",
    0x1001: "Overloaded",
    0x1002: "IsBootstrapping",
    0x1003: "TruncateError",
    0x1100: "WriteTimeout",
    0x1200: "ReadTimeout",
    0x1300: "ReadFailure",
    0x1400: "FunctionFailure",
    0x1500: "WriteFailure",
    0x2000: "SyntaxError",
    0x2100: "Unauthorized",
    0x2200: "Invalid",
    0x2300: "ConfigError",
    0x2400: "AlreadyExists",
    0x2500: "Unprepared",
}


class RawResultMessage(ResultMessage):
    """A RESULT message whose rows stay as the bytes the server sent."""

    def recv_results_rows(self, f, protocol_version, user_type_map, result_metadata, column_encryption_policy):
        self.recv_results_metadata(f, user_type_map)
        column_metadata = self.column_metadata or result_metadata
        rowcount = read_int(f)
        self.parsed_rows = [self.recv_row(f, len(column_metadata)) for _ in range(rowcount)]
        self.column_names = [c[2] for c in column_metadata]
        self.column_types = [c[3] for c in column_metadata]


class RawProtocolHandler(_ProtocolHandler):
    message_types_by_opcode = _ProtocolHandler.message_types_by_opcode.copy()
    message_types_by_opcode[RawResultMessage.opcode] = RawResultMessage


@dataclass
class Outcome:
    """What the server answered to one statement, rendered to the canonical text of README.md."""

    kind: str  # rows, void, set_keyspace, schema_change, error
    detail: str = ""  # set_keyspace/schema_change argument; for errors "Code: message"
    header: str = ""  # rows: "name type | name type"
    pages: list[list[str]] = field(default_factory=list)  # rows: rendered rows, page by page

    @property
    def error_code(self) -> str:
        return self.detail.split(":", 1)[0] if self.kind == "error" else ""


def connect(host: str, port: int, user: str | None, password: str | None) -> Cluster:
    logging.getLogger("cassandra").setLevel(logging.ERROR)  # server warnings are not compared
    bundle = os.environ.get("CASSANDRA_SECURE_CONNECT_BUNDLE")
    balancing = {} if bundle else {"load_balancing_policy": WhiteListRoundRobinPolicy([host])}
    profile = ExecutionProfile(
        **balancing,
        retry_policy=FallthroughRetryPolicy(),
        consistency_level=ConsistencyLevel.ONE,
        request_timeout=REQUEST_TIMEOUT_SECONDS,
    )
    auth = PlainTextAuthProvider(user, password) if user else None
    # Astra: a secure connect bundle names the endpoint (host and port are then ignored).
    where = {"cloud": {"secure_connect_bundle": bundle}} if bundle else {"contact_points": [host], "port": port}
    return Cluster(
        **where,
        protocol_version=ProtocolVersion.V4,
        auth_provider=auth,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        schema_metadata_enabled=False,
        token_metadata_enabled=False,
        connect_timeout=30,
        control_connection_timeout=30,
    )


def execute_once_indexed(session: Session, cql: str, fetch_size: int | None = None) -> Outcome:
    """Like execute(), but a read refused because an index it uses is still building is retried until it is
    built (for at most INDEX_BUILD_WAIT_SECONDS).

    Cassandra builds every index in the background, even a storage-attached index created on an empty table,
    and until then refuses the reads that need it (ReadFailure, INDEX_NOT_AVAILABLE). That moment is not what a
    case records; the answer once the index is built is.
    """
    deadline = time.monotonic() + INDEX_BUILD_WAIT_SECONDS
    outcome = execute(session, cql, fetch_size)
    while _index_building(outcome) and time.monotonic() < deadline:
        time.sleep(INDEX_BUILD_POLL_SECONDS)
        outcome = execute(session, cql, fetch_size)
    return outcome


def _index_building(outcome: Outcome) -> bool:
    return outcome.error_code == "ReadFailure" and "INDEX_NOT_AVAILABLE" in outcome.detail


def execute(session: Session, cql: str, fetch_size: int | None = None) -> Outcome:
    """Runs `cql` unprepared, fetching every page, and returns the server's answer."""
    statement = SimpleStatement(cql, fetch_size=fetch_size or 5000)
    future = session._create_response_future(statement, None, False, {}, REQUEST_TIMEOUT_SECONDS)
    future._protocol_handler = RawProtocolHandler
    responses: list[object] = []
    original = future._set_result

    def keep(host, connection, pool, response):
        responses.append(response)
        original(host, connection, pool, response)

    future._set_result = keep
    future.send_request()
    outcome = _wait(future, responses)
    while outcome.kind == "rows" and future.has_more_pages:
        future.start_fetching_next_page()
        page = _wait(future, responses)
        if page.kind != "rows":
            return page
        outcome.pages.extend(page.pages)
    return outcome


def _wait(future, responses: list[object]) -> Outcome:
    try:
        future.result()
    except Exception as e:  # noqa: BLE001 - any failure becomes an outcome to compare
        if responses and isinstance(responses[-1], ErrorMessage):
            return _error(responses[-1])
        return Outcome("error", f"DriverError: {type(e).__name__}: {e}")
    if not responses or not isinstance(responses[-1], ResultMessage):
        return Outcome("error", "DriverError: no result message")
    return _result(responses[-1])


def _error(msg: ErrorMessage) -> Outcome:
    name = ERROR_NAMES.get(msg.error_code, f"0x{msg.error_code:04X}")
    return Outcome("error", f"{name}: {msg.message}")


def _result(msg: ResultMessage) -> Outcome:
    if msg.kind == RESULT_KIND_VOID:
        return Outcome("void")
    if msg.kind == RESULT_KIND_SET_KEYSPACE:
        return Outcome("set_keyspace", msg.new_keyspace)
    if msg.kind == RESULT_KIND_SCHEMA_CHANGE:
        return Outcome("schema_change", _schema_change(msg.schema_change_event))
    if msg.kind == RESULT_KIND_ROWS:
        types = msg.column_types
        header = " | ".join(f"{n} {render.type_name(t)}" for n, t in zip(msg.column_names, types))
        rows = [" | ".join(render.value(t, v) for t, v in zip(types, row)) for row in msg.parsed_rows]
        return Outcome("rows", header=header, pages=[rows])
    return Outcome("error", f"DriverError: unexpected result kind {msg.kind}")


def _schema_change(event: dict) -> str:
    parts = [event["change_type"], event["target_type"], event["keyspace"]]
    target = event["target_type"].lower()
    if target in ("function", "aggregate"):
        descriptor = event[target]
        parts.append(f"{descriptor.name}({', '.join(descriptor.argument_types)})")
    elif target != "keyspace":
        parts.append(event[target])
    return " ".join(parts)
