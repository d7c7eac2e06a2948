"""Crash recovery, proven: cqld is killed with SIGKILL under load, again and again, on one data
directory, and every write it acknowledged is there after each restart.

A writer with many concurrent connections (each with requests in flight) upserts versions of
keys it owns, recording each acknowledged version with the time it was acknowledged. At a random
moment cqld gets SIGKILL; it is restarted on the same directory (recovering from its write-ahead
log, flushing what it recovered, compacting as files pile up over the cycles) and every key must
hold at least its highest acknowledged version, and never one that was not sent.

With `--commitlog-sync batch` no acknowledged write may be lost. With `periodic` only writes
acknowledged within the last sync period before the kill may be. Each mode is killed two ways:
- a process crash: SIGKILL alone, which leaves what cqld handed the kernel in the page cache, so
  even periodic mode loses nothing;
- a power loss: SIGKILL, then every write-ahead log file is cut back to the length it had at its
  last fsync/fdatasync (recorded by wal_sync_ledger.c, preloaded into cqld), which drops what was
  written but never synced. Here periodic mode loses the writes of its last period, and the
  window is measured: how long before the kill the oldest lost write was acknowledged. (Only the
  log is cut; engine/tests/durability/power_loss_test.cc drops unsynced data of every file and
  directory through a fault-injecting file system.)

CRASH_CYCLES sets the number of kill cycles per sync mode and kind of kill (make stress raises
it); CRASH_SEED replays a run's random moments.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import random
import signal
import struct
import threading
import time

import pytest
from pathlib import Path

from cassandra.cluster import Cluster

from wire import EXECUTE, PREPARE, RESULT, Connection, execute_body, long_string

pytestmark = pytest.mark.only_on("cqld", reason="kills server processes of its own")

CYCLES = int(os.environ.get("CRASH_CYCLES", "10"))
CONNECTIONS = 16
IN_FLIGHT = 4  # requests outstanding on each connection
KEYS_PER_CONNECTION = 50
SYNC_PERIOD_MS = 1000
# A periodic sync covers what was written when it began and takes a while on a busy disk: a
# write acknowledged just after one began waits for the next, a period later.
SYNC_SLACK_S = 0.5
HERE = Path(__file__).parent
PAYLOAD = "x" * 200
WRITE_TIMEOUT = 0x1100
INSERT = "INSERT INTO crash.kv (k, version, payload) VALUES (?, ?, ?)"


class Ledger:
    """What the writers sent and what cqld acknowledged, per key."""

    def __init__(self) -> None:
        self.sent: dict[int, int] = {}
        self.acked: dict[int, tuple[int, float]] = {}  # key -> (version, when acknowledged)
        self.acknowledged = 0  # writes acknowledged in all
        self.timed_out = 0  # writes answered with WriteTimeout
        self.lock = threading.Lock()

    def next_version(self, key: int) -> int:
        with self.lock:
            self.sent[key] = self.sent.get(key, 0) + 1
            return self.sent[key]

    def acknowledge(self, key: int, version: int) -> None:
        with self.lock:
            self.acknowledged += 1
            if version > self.acked.get(key, (0, 0.0))[0]:
                self.acked[key] = (version, time.monotonic())


async def write_keys(host: str, port: int, owner: int, ledger: Ledger, stop: asyncio.Event) -> None:
    """One connection's writers: IN_FLIGHT loops, each over its own share of the owner's keys."""
    try:
        conn = await Connection.open(host, port)
        prepared = (await conn.request(PREPARE, long_string(INSERT))).prepared_id()
    except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
        return  # killed before this connection was ready

    async def loop(lane: int) -> None:
        keys = [owner * KEYS_PER_CONNECTION + i for i in range(lane, KEYS_PER_CONNECTION, IN_FLIGHT)]
        while not stop.is_set():
            key = random.choice(keys)
            version = ledger.next_version(key)
            values = [struct.pack(">i", key), struct.pack(">q", version), PAYLOAD.encode()]
            response = await conn.request(EXECUTE, execute_body(prepared, values))
            if response.opcode == RESULT:
                ledger.acknowledge(key, version)
            else:
                # A write that timed out waiting for its sync was not acknowledged (it may still
                # be applied, which the ledger allows); any other error fails the run.
                assert response.error and response.error[0] == WRITE_TIMEOUT, response.error
                ledger.timed_out += 1

    lanes = [asyncio.ensure_future(loop(lane)) for lane in range(IN_FLIGHT)]
    try:
        await asyncio.gather(*lanes)
    except (ConnectionError, OSError, asyncio.TimeoutError):
        pass  # the server was killed: whatever was in flight was never acknowledged
    finally:
        for lane in lanes:
            lane.cancel()
        await asyncio.gather(*lanes, return_exceptions=True)
        await conn.close()


class Writer:
    """Runs CONNECTIONS writing connections on an event loop of its own thread."""

    def __init__(self, host: str, port: int, ledger: Ledger) -> None:
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(host, port, ledger))
        self.thread.start()

    def _run(self, host: str, port: int, ledger: Ledger) -> None:
        asyncio.set_event_loop(self.loop)

        async def main() -> None:
            results = await asyncio.gather(
                *(write_keys(host, port, owner, ledger, self.stop) for owner in range(CONNECTIONS)),
                return_exceptions=True,
            )
            self.errors += [r for r in results if isinstance(r, BaseException)]

        self.loop.run_until_complete(main())
        self.loop.close()

    def join(self) -> None:
        if not self.loop.is_closed():  # the writers usually ended with the server
            try:
                self.loop.call_soon_threadsafe(self.stop.set)
            except RuntimeError:
                pass  # closed meanwhile
        self.thread.join(timeout=120)
        assert not self.thread.is_alive(), "the writers did not stop"


def stored_versions(cqld) -> dict[int, int]:
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        session = cluster.connect()
        return {row.k: row.version for row in session.execute("SELECT k, version FROM crash.kv")}
    finally:
        cluster.shutdown()


def create_schema(cqld) -> None:
    cluster = Cluster([cqld.host], port=cqld.port)
    try:
        session = cluster.connect()
        session.execute(
            "CREATE KEYSPACE crash WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute("CREATE TABLE crash.kv (k int PRIMARY KEY, version bigint, payload text)")
    finally:
        cluster.shutdown()


def lost_writes(stored: dict[int, int], ledger: Ledger, killed_at: float) -> dict[int, float]:
    """Asserts that no key holds a version never sent; returns the keys whose acknowledged
    version is missing, with how long before the kill it was acknowledged."""
    for key, version in stored.items():
        assert version <= ledger.sent.get(key, 0), f"key {key} holds version {version}, never sent"
    return {key: killed_at - when for key, (version, when) in ledger.acked.items() if stored.get(key, 0) < version}


@pytest.fixture(scope="module")
def wal_sync_ledger_library(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("wal-sync-ledger") / "wal_sync_ledger.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(out), str(HERE / "wal_sync_ledger.c"), "-ldl"],
                   check=True)
    return str(out)


def cut_unsynced_log_tails(data: Path, ledger: Path) -> int:
    """What a power loss leaves of the write-ahead log: each log file cut back to its length at
    its last sync (never synced: empty). Returns the bytes dropped."""
    synced: dict[str, int] = {}
    if ledger.exists():
        for line in ledger.read_text().splitlines():
            path, size = line.rsplit(" ", 1)
            synced[path] = max(synced.get(path, 0), int(size))
    dropped = 0
    for log in data.rglob("*.log"):
        keep = synced.get(str(log.resolve()), 0)
        size = log.stat().st_size
        if size > keep:
            os.truncate(log, keep)
            dropped += size - keep
    return dropped


@pytest.mark.parametrize("kill", ["process-crash", "power-loss"])
@pytest.mark.parametrize("sync", ["batch", "periodic"])
def test_sigkill_under_load_loses_no_acknowledged_write(tmp_path, start_cqld, monkeypatch, sync, kill,
                                                        wal_sync_ledger_library):
    seed = int(os.environ.get("CRASH_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    data = tmp_path / "data"
    wal_ledger = tmp_path / "wal-syncs.txt"
    if kill == "power-loss":
        monkeypatch.setenv("LD_PRELOAD", wal_sync_ledger_library)
        monkeypatch.setenv("WAL_SYNC_LEDGER", str(wal_ledger))
    args = ("--data-dir", str(data), "--port", "0", "--commitlog-sync", sync,
            "--commitlog-sync-period-ms", str(SYNC_PERIOD_MS))
    window = SYNC_PERIOD_MS / 1000 + SYNC_SLACK_S
    ledger = Ledger()
    lost_ages: list[float] = []
    dropped = 0
    for cycle in range(CYCLES):
        cqld = start_cqld(*args)
        if cycle == 0:
            create_schema(cqld)
        writer = Writer(cqld.host, cqld.port, ledger)
        time.sleep(rng.uniform(0.2, 1.5))  # the random moment
        cqld.proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        cqld.proc.wait()
        writer.join()
        assert not writer.errors, writer.errors
        if kill == "power-loss":
            dropped += cut_unsynced_log_tails(data, wal_ledger)

        cqld = start_cqld(*args)
        stored = stored_versions(cqld)
        assert cqld.stop() == 0
        lost = lost_writes(stored, ledger, killed_at)
        context = f"{kill} cycle {cycle}, seed {seed} (CRASH_SEED reruns it)"
        if sync == "batch" or kill == "process-crash":
            assert not lost, f"{context}: {len(lost)} acknowledged writes lost, keys {sorted(lost)[:10]}"
        else:
            late = {k: age for k, age in lost.items() if age > window}
            assert not late, f"{context}: writes acknowledged up to {max(late.values()):.2f}s before the kill lost"
        lost_ages += lost.values()
        # A write lost within the window is gone: later cycles expect what was stored.
        for key in lost:
            ledger.acked[key] = (stored.get(key, 0), 0.0)
    assert ledger.acknowledged > CYCLES * CONNECTIONS, "too few writes were acknowledged to prove anything"
    if kill == "power-loss" and sync == "periodic":
        assert dropped > 0, "no unsynced log tail was ever dropped: the power loss was not simulated"
    measured = f", the oldest acknowledged {max(lost_ages):.3f}s before its kill" if lost_ages else ""
    print(f"\n{sync}, {kill}: {CYCLES} SIGKILL cycles (seed {seed}), {ledger.acknowledged} acknowledged writes to "
          f"{len(ledger.acked)} keys ({ledger.timed_out} WriteTimeout), {dropped} unsynced log bytes dropped, {len(lost_ages)} latest acknowledged "
          f"versions lost{measured}")
