"""Statements run on a worker pool with deadlines: a slow statement never holds up another
connection's requests, and a request past its deadline gets Cassandra's timeout error."""

from __future__ import annotations

import threading
import time

import pytest
from cassandra import OperationTimedOut, ReadTimeout, WriteTimeout
from cassandra.cluster import Cluster
from cassandra.query import BatchStatement, BatchType, SimpleStatement

pytestmark = pytest.mark.only_on("cqld", reason="tunes the timeouts and workers of a server of its own")

ROWS = 300_000
CLIENT_TIMEOUT_S = 120  # bounds a hang; not a speed assertion
SLOW_SCAN = "SELECT * FROM s.big WHERE v = -1 ALLOW FILTERING"  # reads every row, returns none


def load(session) -> None:
    session.execute(
        "CREATE KEYSPACE s WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
    )
    session.execute("CREATE TABLE s.big (p int, c int, v int, PRIMARY KEY (p, c))")
    session.execute("CREATE TABLE s.kv (k int PRIMARY KEY, v int)")
    session.execute("INSERT INTO s.kv (k, v) VALUES (1, 1)")
    insert = session.prepare("INSERT INTO s.big (p, c, v) VALUES (?, ?, ?)")
    for p in range(ROWS // 1000):
        batch = BatchStatement(batch_type=BatchType.UNLOGGED)
        for c in range(1000):
            batch.add(insert, (p, c, c))
        session.execute(batch)


def cluster_for(cqld) -> Cluster:
    return Cluster([cqld.host], port=cqld.port, connect_timeout=CLIENT_TIMEOUT_S)


@pytest.fixture(scope="module")
def loaded_data(tmp_path_factory) -> str:
    """A data directory with the tables loaded, by a cqld with the default timeouts."""
    from conftest import CqldProcess

    data = str(tmp_path_factory.mktemp("timeouts") / "data")
    cqld = CqldProcess("--data-dir", data, "--port", "0")
    cluster = cluster_for(cqld)
    try:
        load(cluster.connect())
    finally:
        cluster.shutdown()
        cqld.close()
    return data


def test_a_slow_scan_does_not_delay_point_reads_on_another_connection(start_cqld, loaded_data):
    cqld = start_cqld("--data-dir", loaded_data, "--port", "0", "--range-timeout-ms", "600000")
    scanner, reader = cluster_for(cqld), cluster_for(cqld)
    try:
        events: list[str] = []
        scan_session = scanner.connect()
        read_session = reader.connect("s")

        def scan() -> None:
            scan_session.execute(SimpleStatement(SLOW_SCAN, fetch_size=None), timeout=CLIENT_TIMEOUT_S)
            events.append("scan done")

        thread = threading.Thread(target=scan)
        thread.start()
        time.sleep(0.05)  # the scan is under way; point reads on the other connection finish first
        for _ in range(20):
            assert read_session.execute("SELECT v FROM kv WHERE k = 1").one().v == 1
        events.append("reads done")
        thread.join(CLIENT_TIMEOUT_S)
        assert events == ["reads done", "scan done"]
    finally:
        scanner.shutdown()
        reader.shutdown()


def test_each_timeout_error_reaches_the_client(start_cqld, loaded_data):
    # One worker: requests queued behind the slow scan wait past their deadlines.
    cqld = start_cqld(
        "--data-dir", loaded_data, "--port", "0", "--workers", "1", "--range-timeout-ms", "600000",
        "--read-timeout-ms", "50", "--write-timeout-ms", "50",
    )
    scanner, other = cluster_for(cqld), cluster_for(cqld)
    try:
        scan_session = scanner.connect()
        session = other.connect("s")
        point_read = session.prepare("SELECT v FROM kv WHERE k = ?")
        write = session.prepare("INSERT INTO kv (k, v) VALUES (?, ?)")
        lwt = session.prepare("UPDATE kv SET v = ? WHERE k = ? IF v = 1")
        future = scan_session.execute_async(SimpleStatement(SLOW_SCAN, fetch_size=None), timeout=CLIENT_TIMEOUT_S)
        time.sleep(0.05)  # the scan holds the one worker
        # Sent together while the scan runs: each waits behind it past its deadline.
        pending = {
            name: session.execute_async(statement, values, timeout=CLIENT_TIMEOUT_S)
            for name, statement, values in [
                ("read", point_read, (1,)),
                ("write", write, (2, 2)),
                ("cas", lwt, (3, 1)),
            ]
        }
        errors = {}
        for name, request in pending.items():
            try:
                request.result()
            except (ReadTimeout, WriteTimeout) as e:
                errors[name] = e
        future.result()
        assert isinstance(errors.get("read"), ReadTimeout)
        assert "Operation timed out - received only 0 responses." in str(errors["read"])
        assert isinstance(errors.get("write"), WriteTimeout)
        assert errors["write"].write_type == 0  # SIMPLE
        assert isinstance(errors.get("cas"), WriteTimeout)
        assert errors["cas"].write_type == 5  # CAS
        # A long read on its own runs past the read timeout: checked while it reads, it is
        # answered ReadTimeout.
        partitions = ", ".join(str(p) for p in range(ROWS // 1000))
        with pytest.raises(ReadTimeout):
            session.execute(
                SimpleStatement(f"SELECT * FROM big WHERE p IN ({partitions}) AND v = -1 ALLOW FILTERING"),
                timeout=CLIENT_TIMEOUT_S,
            )
    except OperationTimedOut:
        pytest.fail("the client timed out: the server never answered")
    finally:
        scanner.shutdown()
        other.shutdown()
