"""Emptying a table: TRUNCATE, or, while a replica is down, deleting its partitions.

Cassandra runs TRUNCATE on every node. While a node is down, and known to be, it refuses at
once (a TruncateError, "Cannot achieve consistency level ALL", from each coordinator the driver
tries); in the seconds after a node dies, before the others convict it, TRUNCATE waits for it
until truncate_request_timeout (60 s) and then fails the same way. A cluster with one replica
of three down still serves QUORUM reads and writes, so a caller that must go on (flush between
tests, a cache's ``clear``) may instead read the table's partition keys at QUORUM and delete
each partition at QUORUM: every row a later QUORUM read could return is found, and the
partition tombstones win over the rows still on the replica that is down. That leaves
tombstones, as any delete does, and costs a read of the whole table, so it is for small tables;
counters cannot be deleted and counted again, so counter tables are never emptied so.
"""

from __future__ import annotations

from typing import Any

from cassandra import ConsistencyLevel, OperationTimedOut, ReadTimeout, Unavailable
from cassandra.cluster import NoHostAvailable
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.metadata import protect_name
from cassandra.protocol import TruncateError
from cassandra.query import SimpleStatement
from django.db import utils

# Deletes in flight at once while a table is emptied partition by partition.
CONCURRENT_DELETES = 32
PARTITION_KEYS_PER_PAGE = 1000
# Above Cassandra's truncate_request_timeout (60 s): a TRUNCATE that waits for a node that has
# just died fails on the server (and then on the next coordinator at once) before the client
# gives up.
TRUNCATE_TIMEOUT_S = 130

_DRIVER_ERRORS = (Unavailable, TruncateError, ReadTimeout, OperationTimedOut, NoHostAvailable)


def empty(session: Any, keyspace: str, table: str, *, delete_if_replica_down: bool) -> bool:
    """Empties the table if a replica holds a row of it; returns whether one did. With a
    replica down, deletes its partitions at QUORUM if ``delete_if_replica_down`` (TRUNCATE
    would be refused), else raises an OperationalError that says so."""
    rows, every_replica_answered = _probe(session, keyspace, table)
    if not rows:
        return False
    if every_replica_answered:
        truncate(session, keyspace, table, delete_if_replica_down=delete_if_replica_down)
    elif delete_if_replica_down:
        delete_partitions(session, keyspace, table)
    else:
        raise _replica_down_error(_qualified(keyspace, table))
    return True


def holds_rows(session: Any, keyspace: str, table: str) -> bool:
    """Whether a replica holds a row of the table (see _probe)."""
    return _probe(session, keyspace, table)[0]


def truncate(session: Any, keyspace: str, table: str, *, delete_if_replica_down: bool) -> None:
    """TRUNCATEs the table; if Cassandra refuses for a replica down, or the TRUNCATE times
    out, deletes its partitions at QUORUM instead if ``delete_if_replica_down``, else raises
    an OperationalError that says so (or the timeout)."""
    qualified = _qualified(keyspace, table)
    try:
        session.execute(f"TRUNCATE {qualified}", timeout=TRUNCATE_TIMEOUT_S)
        return
    except Exception as exc:
        timed_out = isinstance(_driver_error(exc), OperationTimedOut)
        if not (timed_out or replica_down(exc)):
            raise
        if not delete_if_replica_down:
            if timed_out:
                raise
            raise _replica_down_error(qualified) from exc
    delete_partitions(session, keyspace, table)  # harmless after a TRUNCATE that went on


def replica_down(exc: BaseException) -> bool:
    """True if ``exc`` is Cassandra saying a replica is down: Unavailable, or TruncateError
    (from every coordinator tried, which the driver reports as NoHostAvailable)."""
    exc = _driver_error(exc)
    if isinstance(exc, (Unavailable, TruncateError)):
        return True
    if isinstance(exc, NoHostAvailable) and exc.errors:
        return all(isinstance(e, (Unavailable, TruncateError)) for e in exc.errors.values())
    return False


def _probe(session: Any, keyspace: str, table: str) -> tuple[bool, bool]:
    """(whether a replica holds a row, whether every replica answered). Read at ALL, so a row
    on one replica only is found; if a replica is down or does not answer (a node that has
    just died), at QUORUM, which sees every row written at QUORUM."""
    try:
        return _any_row(session, keyspace, table, ConsistencyLevel.ALL), True
    except Exception as exc:
        if not (replica_down(exc) or isinstance(_driver_error(exc), ReadTimeout)):
            return True, True  # unknown: TRUNCATE to be sure
    return _any_row(session, keyspace, table, ConsistencyLevel.QUORUM), False


def _any_row(session: Any, keyspace: str, table: str, consistency: int) -> bool:
    probe = SimpleStatement(
        f"SELECT * FROM {_qualified(keyspace, table)} LIMIT 1", consistency_level=consistency
    )
    return bool(list(session.execute(probe)))


def _driver_error(exc: BaseException | None) -> BaseException | None:
    # django_errors() re-raises driver errors as Django ones with the driver's as the cause.
    while exc is not None and not isinstance(exc, _DRIVER_ERRORS):
        exc = exc.__cause__
    return exc


def delete_partitions(session: Any, keyspace: str, table: str) -> int:
    """Deletes every partition of the table that a QUORUM read finds; returns how many."""
    qualified = _qualified(keyspace, table)
    key_columns, has_counters = _partition_key(session, keyspace, table)
    if has_counters:
        raise utils.NotSupportedError(
            f"Cannot empty the counter table {qualified} while a replica is down: TRUNCATE "
            "needs every node, and deleted counters cannot be counted again."
        )
    names = ", ".join(protect_name(c) for c in key_columns)
    scan = SimpleStatement(
        f"SELECT DISTINCT {names} FROM {qualified}",
        consistency_level=ConsistencyLevel.QUORUM,
        fetch_size=PARTITION_KEYS_PER_PAGE,
    )
    where = " AND ".join(f"{protect_name(c)} = ?" for c in key_columns)
    delete = session.prepare(f"DELETE FROM {qualified} WHERE {where}")
    delete.consistency_level = ConsistencyLevel.QUORUM
    keys = [tuple(_values(row, key_columns)) for row in session.execute(scan)]
    for success, result in execute_concurrent_with_args(
        session, delete, keys, concurrency=CONCURRENT_DELETES, raise_on_first_error=True
    ):
        assert success, result  # raise_on_first_error raised otherwise
    return len(keys)


def _partition_key(session: Any, keyspace: str, table: str) -> tuple[list[str], bool]:
    """The table's partition key columns in order, and whether it has counter columns (read
    from system_schema, so it works with the driver's schema metadata off)."""
    rows = session.execute(
        "SELECT column_name, kind, position, type FROM system_schema.columns "
        "WHERE keyspace_name = %s AND table_name = %s",
        (keyspace, table),
    )
    rows = [_as_dict(row, ("column_name", "kind", "position", "type")) for row in rows]
    if not rows:
        raise utils.ProgrammingError(f"Table {_qualified(keyspace, table)} does not exist")
    partition = sorted(
        (r for r in rows if r["kind"] == "partition_key"), key=lambda r: r["position"]
    )
    return [r["column_name"] for r in partition], any(r["type"] == "counter" for r in rows)


def _replica_down_error(qualified: str) -> utils.OperationalError:
    return utils.OperationalError(
        f"Cannot truncate {qualified}: a node of the cluster is down, and Cassandra truncates "
        "only with every node up. Bring the node back (or remove it with nodetool removenode) "
        "and flush again."
    )


def _values(row: Any, columns: list[str]) -> list[Any]:
    return [row[c] for c in columns] if isinstance(row, dict) else list(row)


def _as_dict(row: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    return row if isinstance(row, dict) else dict(zip(columns, row, strict=True))


def _qualified(keyspace: str, table: str) -> str:
    return f"{protect_name(keyspace)}.{protect_name(table)}"
