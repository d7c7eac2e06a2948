"""Emptying a table: TRUNCATE, or, while a replica is down, deleting its partitions.

Cassandra runs TRUNCATE on every node and refuses it while any node is down (a TruncateError,
"Cannot achieve consistency level ALL", from each coordinator the driver tries). A cluster
with one replica of three down still serves QUORUM reads and writes, so a caller that must go
on (flush between tests, a cache's ``clear``) may instead read the table's partition keys at
QUORUM and delete each partition at QUORUM: every row a later QUORUM read could return is
found, and the partition tombstones win over the rows still on the replica that is down. That
leaves tombstones, as any delete does, and costs a read of the whole table, so it is for small
tables; counters cannot be deleted and counted again, so counter tables are never emptied so.
"""

from __future__ import annotations

from typing import Any

from cassandra import ConsistencyLevel, Unavailable
from cassandra.cluster import NoHostAvailable
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.metadata import protect_name
from cassandra.protocol import TruncateError
from cassandra.query import SimpleStatement
from django.db import utils

# Deletes in flight at once while a table is emptied partition by partition.
CONCURRENT_DELETES = 32
PARTITION_KEYS_PER_PAGE = 1000


def replica_down(exc: BaseException) -> bool:
    """True if ``exc`` is Cassandra saying a replica is down: Unavailable, or TruncateError
    (from every coordinator tried, which the driver reports as NoHostAvailable)."""
    while exc is not None and not isinstance(exc, (Unavailable, TruncateError, NoHostAvailable)):
        exc = exc.__cause__  # django_errors() re-raises driver errors with the cause kept
    if isinstance(exc, (Unavailable, TruncateError)):
        return True
    if isinstance(exc, NoHostAvailable) and exc.errors:
        return all(isinstance(e, (Unavailable, TruncateError)) for e in exc.errors.values())
    return False


def holds_rows(session: Any, keyspace: str, table: str) -> bool:
    """Whether any replica holds a row of the table. Read at ALL, so a row on one replica
    only is found; with a replica down, at QUORUM (which sees every row written at QUORUM)."""
    for consistency in (ConsistencyLevel.ALL, ConsistencyLevel.QUORUM):
        probe = SimpleStatement(
            f"SELECT * FROM {_qualified(keyspace, table)} LIMIT 1", consistency_level=consistency
        )
        try:
            return bool(list(session.execute(probe)))
        except Exception as exc:
            if not replica_down(exc):
                return True  # unknown: empty it to be sure
    return True


def truncate(session: Any, keyspace: str, table: str, *, delete_if_replica_down: bool) -> None:
    """TRUNCATEs the table; while a replica is down, deletes its partitions at QUORUM instead
    if ``delete_if_replica_down``, else raises an OperationalError that says so."""
    qualified = _qualified(keyspace, table)
    try:
        session.execute(f"TRUNCATE {qualified}")
        return
    except Exception as exc:
        if not replica_down(exc):
            raise
        if not delete_if_replica_down:
            raise _replica_down_error(qualified) from exc
    delete_partitions(session, keyspace, table)


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
