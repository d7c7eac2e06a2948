"""A full disk, for real: cqld on a small tmpfs is written until it is full.

Writes then fail with WriteFailure and a logged error, reads go on, the server recovers once space
is freed, SIGTERM stops it cleanly, and a restart finds every acknowledged write, in both
commit-log sync modes. (Before, the server aborted inside RocksDB on the first ENOSPC in periodic
mode, and in batch mode kept failing writes after space returned and aborted at SIGTERM.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from cassandra import WriteFailure
from cassandra.cluster import Cluster

pytestmark = pytest.mark.only_on("cqld", reason="fills the disk under a server process of its own")

VALUE = os.urandom(100_000)
RECOVERY_WAIT_S = 60  # bounds a hang; not a speed assertion


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB tmpfs; grown() gives it room again."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"needs permission to mount a tmpfs: {result.stderr.strip()}")

    def grow() -> None:
        subprocess.run(["mount", "-o", "remount,size=128m", str(mount_point)], check=True)

    yield mount_point, grow
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(session) -> tuple[set[int], WriteFailure]:
    insert = session.prepare("INSERT INTO d.blobs (k, v) VALUES (?, ?)")
    acknowledged = set()
    for k in range(1000):
        try:
            session.execute(insert, (k, VALUE))
            acknowledged.add(k)
        except WriteFailure as failure:
            return acknowledged, failure
    pytest.fail("1000 writes of 100 kB fitted on a 16 MiB disk")


def write_when_recovered(session) -> None:
    deadline = time.monotonic() + RECOVERY_WAIT_S
    while True:
        try:
            session.execute("INSERT INTO d.blobs (k, v) VALUES (5000, 0x00)")
            return
        except WriteFailure:
            assert time.monotonic() < deadline, "writes still refused after space returned"
            time.sleep(0.2)


@pytest.mark.parametrize("sync", ["periodic", "batch"])
def test_full_disk_refuses_writes_then_recovers_and_loses_nothing(cql_target, start_cqld, small_disk, sync):
    disk, grow = small_disk
    data = str(disk / "data")
    cqld = start_cqld("--data-dir", data, "--port", "0", "--commitlog-sync", sync)
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        session = cluster.connect()
        session.execute(
            "CREATE KEYSPACE d WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute("CREATE TABLE d.blobs (k int PRIMARY KEY, v blob)")
        acknowledged, failure = fill(session)
        assert acknowledged, "not one write fitted"
        assert "No space left on device" in str(failure)
        assert "storage refuses writes" in cqld.output()
        with pytest.raises(WriteFailure):  # still refused: nothing was freed
            session.execute("INSERT INTO d.blobs (k, v) VALUES (4000, 0x00)")
        count = session.execute("SELECT count(*) FROM d.blobs").one()[0]
        assert count >= len(acknowledged)  # reads go on
        grow()
        write_when_recovered(session)
        assert "storage recovered" in cqld.output()
    finally:
        cluster.shutdown()
    assert cqld.stop(signal.SIGTERM) == 0

    cqld = start_cqld("--data-dir", data, "--port", "0")
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        session = cluster.connect("d")
        present = {row.k for row in session.execute("SELECT k FROM blobs")}
        assert acknowledged <= present
        assert 5000 in present
    finally:
        cluster.shutdown()
    cqld.stop()
