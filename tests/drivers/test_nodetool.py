"""nodetool against a running server: `cqld nodetool` on cqld, Cassandra's own nodetool (over JMX)
on the real node, the same assertions on both. What scripts read from nodetool's output (the
status table, info's fields, tablestats' counters, describecluster's schema version, the error
messages and exit statuses) must read the same from cqld, and agree with what CQL says of the
node (system.local)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CASSANDRA_SCRIPT, ROOT, CqldProcess, CqlServer, _cassandra_env

NODETOOL_AT = re.compile(r"nodetool at 127\.0\.0\.1:(\d+)")
SIZE = re.compile(r"^\d+(\.\d{1,2})? (bytes|KiB|MiB|GiB|TiB)$")


@dataclass
class Run:
    code: int
    out: str
    err: str


class Nodetool:
    """Runs nodetool against one target's server."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.command = command
        self.env = env

    def __call__(self, *args: str) -> Run:
        done = subprocess.run(
            [*self.command, *args], capture_output=True, text=True, env=self.env, timeout=300
        )
        return Run(done.returncode, done.stdout, done.stderr)


@dataclass
class Node:
    server: CqlServer
    nodetool: Nodetool
    process: CqldProcess | None = None


@pytest.fixture(scope="module")
def node(cql_target: str, request: pytest.FixtureRequest) -> Iterator[Node]:
    """cqld on a data directory of its own (snapshots need files), or the shared Cassandra."""
    if cql_target == "cassandra":
        server = request.getfixturevalue("cassandra_node")
        yield Node(server, Nodetool([str(CASSANDRA_SCRIPT), "nodetool"], _cassandra_env()))
        return
    with tempfile.TemporaryDirectory(prefix="cqld-nodetool-") as data:
        cqld = CqldProcess("--data-dir", data, "--port", "0")
        match = NODETOOL_AT.search(cqld.output())
        assert match, cqld.output()
        binary = os.environ.get("CQLD", str(ROOT / ".venv" / "bin" / "cqld"))
        yield Node(
            CqlServer("cqld", cqld.host, cqld.port),
            Nodetool([binary, "nodetool", "-p", match.group(1)]),
            cqld,
        )
        cqld.close()


@pytest.fixture(scope="module")
def cql_server(node: Node) -> CqlServer:
    """The tests' keyspaces are made on the node nodetool talks to."""
    return node.server


@pytest.fixture(scope="module")
def cql(node: Node):
    cluster = node.server.cluster()
    yield cluster.connect()
    cluster.shutdown()


@pytest.fixture
def table(cql, keyspace: str) -> str:
    cql.execute(f"CREATE TABLE {keyspace}.t (k int PRIMARY KEY, v text)")
    return f"{keyspace}.t"


def local(cql):
    return cql.execute(
        "SELECT host_id, tokens, data_center, rack, cluster_name, release_version, schema_version "
        "FROM system.local"
    ).one()


def fields(text: str) -> dict[str, str]:
    """info's "Label     : value" lines."""
    out = {}
    for line in text.splitlines():
        label, sep, value = line.partition(":")
        if sep:
            out[label.strip()] = value.strip()
    return out


def test_status_table(node: Node, cql) -> None:
    run = node.nodetool("status")
    assert run.code == 0, run
    lines = run.out.splitlines()
    assert lines[:4] == [
        "Datacenter: " + local(cql).data_center,
        "=======================",
        "Status=Up/Down",
        "|/ State=Normal/Leaving/Joining/Moving",
    ]
    header = re.split(r"\s{2,}", lines[4].strip())
    assert header == ["--", "Address", "Load", "Owns (effective)", "Host ID", "Token", "Rack"]
    row = re.split(r"\s{2,}", lines[5].strip())
    assert row[0] == "UN" and row[1] == "127.0.0.1"
    assert SIZE.match(row[2]), row
    assert row[3] == "100.0%"
    me = local(cql)
    assert row[4] == str(me.host_id)
    assert [row[5]] == sorted(me.tokens)
    assert row[6] == me.rack
    # The columns line up under their headers, as scripts that cut by position expect.
    for name in ("Address", "Load", "Host ID", "Rack"):
        column = lines[4].index(name)
        assert lines[5][column - 1] == " " and lines[5][column] != " ", name


def test_status_of_a_missing_keyspace(node: Node) -> None:
    run = node.nodetool("status", "no_such_keyspace")
    assert run.code == 1
    assert "Error: The keyspace no_such_keyspace, does not exist" in run.out.splitlines()


def test_info_fields(node: Node, cql) -> None:
    run = node.nodetool("info")
    assert run.code == 0, run
    info = fields(run.out)
    me = local(cql)
    assert info["ID"] == str(me.host_id)
    assert info["Native Transport active"] == "true"
    assert info["Gossip active"] == "true"
    assert SIZE.match(info["Load"]), info
    assert int(info["Generation No"]) > 1_600_000_000
    assert int(info["Uptime (seconds)"]) >= 0
    assert info["Data Center"] == me.data_center
    assert info["Rack"] == me.rack
    assert [info["Token"]] == sorted(me.tokens)
    assert info["Bootstrap state"] == "COMPLETED"


def test_describecluster(node: Node, cql, keyspace: str) -> None:
    me = local(cql)
    run = node.nodetool("describecluster")
    assert run.code == 0, run
    lines = run.out.splitlines()
    assert lines[0] == "Cluster Information:"
    assert f"\tName: {me.cluster_name}" in lines
    assert "\tPartitioner: org.apache.cassandra.dht.Murmur3Partitioner" in lines
    assert f"\t\t{me.schema_version}: [127.0.0.1]" in lines
    assert "\tLive: 1" in lines and "\tUnreachable: 0" in lines
    assert f"\t{keyspace} -> Replication class: SimpleStrategy {{replication_factor=1}}" in lines


def test_version(node: Node, cql) -> None:
    run = node.nodetool("version")
    assert run.code == 0
    assert run.out == f"ReleaseVersion: {local(cql).release_version}\n"


def table_fields(text: str, name: str) -> dict[str, str]:
    """The "\t\tLabel: value" lines of one table in tablestats' output."""
    block = text.split(f"\t\tTable: {name}\n", 1)[1].split("\n\n", 1)[0]
    return fields(block)


def test_tablestats_counts_reads_writes_and_partitions(node: Node, cql, table: str) -> None:
    keyspace, name = table.split(".")
    insert = cql.prepare(f"INSERT INTO {table} (k, v) VALUES (?, ?)")
    for k in range(20):
        cql.execute(insert, (k, "v"))
    for k in range(3):
        assert cql.execute(f"SELECT v FROM {table} WHERE k = {k}").one().v == "v"
    assert node.nodetool("flush", keyspace, name).code == 0
    run = node.nodetool("tablestats", table)
    assert run.code == 0, run
    lines = run.out.splitlines()
    assert lines[:3] == ["Total number of tables: 1", "----------------", f"Keyspace: {keyspace}"]
    assert "\tRead Count: 3" in lines and "\tWrite Count: 20" in lines
    stats = table_fields(run.out, name)
    assert stats["Local read count"] == "3"
    assert stats["Local write count"] == "20"
    assert re.fullmatch(r"\d+\.\d{3} ms", stats["Local read latency"]), stats
    assert stats["Local read/write ratio"] == "0.15000"
    assert int(stats["SSTable count"]) >= 1
    assert int(stats["Space used (live)"]) > 0
    # An estimate in Cassandra (a cardinality sketch); near the 20 partitions written.
    assert 15 <= int(stats["Number of partitions (estimate)"]) <= 25
    human = table_fields(node.nodetool("tablestats", "-H", table).out, name)
    assert SIZE.match(human["Space used (live)"]), human


def test_tablestats_of_missing_names(node: Node, table: str) -> None:
    keyspace = table.split(".")[0]
    run = node.nodetool("tablestats", "no_such_keyspace")
    assert (run.code, run.out.splitlines()[0]) == (1, "nodetool: Unknown keyspace: no_such_keyspace")
    run = node.nodetool("tablestats", table, f"{keyspace}.nope")
    assert (run.code, run.out.splitlines()[0]) == (1, f"nodetool: Unknown tables: [nope] in keyspace: {keyspace}")


def test_flush_and_compact_of_missing_names(node: Node, table: str) -> None:
    keyspace = table.split(".")[0]
    for command in ("flush", "compact"):
        run = node.nodetool(command, "no_such_keyspace")
        assert run.code == 1, (command, run)
        assert run.out.splitlines() == [
            "nodetool: Keyspace [no_such_keyspace] does not exist.",
            "See 'nodetool help' or 'nodetool help <command>'.",
        ]
        run = node.nodetool(command, keyspace, "nope")
        assert run.code == 2, (command, run)
        assert run.err.splitlines()[0] == f"error: Unknown keyspace/cf pair ({keyspace}.nope)"


def test_compact_keeps_the_data_and_drops_what_was_deleted(node: Node, cql, table: str) -> None:
    keyspace, name = table.split(".")
    for k in range(10):
        cql.execute(f"INSERT INTO {table} (k, v) VALUES ({k}, 'x')")
    cql.execute(f"DELETE FROM {table} WHERE k = 0")
    assert node.nodetool("flush", keyspace).code == 0
    run = node.nodetool("compact", keyspace, name)
    assert run.code == 0, run
    assert sorted(r.k for r in cql.execute(f"SELECT k FROM {table}")) == list(range(1, 10))


def test_unknown_command(node: Node) -> None:
    run = node.nodetool("no_such_command")
    assert run.code == 1
    assert run.out.splitlines()[0] == "nodetool: Found unexpected parameters: [no_such_command]"


def test_snapshot_then_clear(node: Node, table: str) -> None:
    keyspace = table.split(".")[0]
    tag = "snap_" + keyspace
    run = node.nodetool("snapshot", "-t", tag, keyspace)
    assert run.code == 0, run
    assert run.out.splitlines() == [
        f"Requested creating snapshot(s) for [{keyspace}] with snapshot name [{tag}] and options {{skipFlush=false}}",
        f"Snapshot directory: {tag}",
    ]
    again = node.nodetool("snapshot", "-t", tag, keyspace)
    assert again.code == 2
    assert again.err.splitlines()[0] == f"error: Snapshot {tag} already exists."
    missing = node.nodetool("snapshot", "-t", tag + "_2", "no_such_keyspace")
    assert missing.code == 1
    assert "nodetool: Keyspace no_such_keyspace does not exist" in missing.out.splitlines()
    cleared = node.nodetool("clearsnapshot", "-t", tag)
    assert cleared.code == 0, cleared
    assert cleared.out.splitlines() == [
        f"Requested clearing snapshot(s) for [all keyspaces] with snapshot name [{tag}]"
    ]
    assert node.nodetool("snapshot", "-t", tag, keyspace).code == 0
    assert node.nodetool("clearsnapshot", "-t", tag).code == 0


@pytest.mark.only_on("cqld", reason="cqld's snapshot is a whole data directory; Cassandra's are per-table SSTables")
def test_a_cqld_snapshot_opens_as_a_data_directory(node: Node, cql, table: str, tmp_path: Path) -> None:
    keyspace = table.split(".")[0]
    cql.execute(f"INSERT INTO {table} (k, v) VALUES (7, 'kept')")
    assert node.nodetool("snapshot", "-t", "whole", keyspace).code == 0
    cql.execute(f"INSERT INTO {table} (k, v) VALUES (8, 'after')")
    data_dir = re.search(r"serving data in (\S+)", node.process.output()).group(1)
    copy = CqldProcess("--data-dir", str(Path(data_dir) / "snapshots" / "whole"), "--port", "0",
                       "--nodetool-port", "none")
    try:
        cluster = CqlServer("cqld", copy.host, copy.port).cluster()
        rows = sorted((r.k, r.v) for r in cluster.connect().execute(f"SELECT k, v FROM {table}"))
        cluster.shutdown()
        assert rows == [(7, "kept")]
    finally:
        copy.close()
    assert node.nodetool("clearsnapshot", "--all").code == 0


@pytest.mark.only_on("cqld", reason="drain stops the node: the shared Cassandra serves the other tests")
def test_drain_stops_serving_and_keeps_the_data(start_cqld, tmp_path: Path) -> None:
    binary = os.environ.get("CQLD", str(ROOT / ".venv" / "bin" / "cqld"))
    cqld = start_cqld("--data-dir", str(tmp_path / "data"), "--port", "0")
    port = NODETOOL_AT.search(cqld.output()).group(1)
    cluster = CqlServer("cqld", cqld.host, cqld.port).cluster()
    cql = cluster.connect()
    cql.execute("CREATE KEYSPACE d WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
    cql.execute("CREATE TABLE d.t (k int PRIMARY KEY)")
    cql.execute("INSERT INTO d.t (k) VALUES (1)")
    cluster.shutdown()
    nodetool = Nodetool([binary, "nodetool", "-p", port])
    drained = nodetool("drain")
    assert (drained.code, drained.out, drained.err) == (0, "", "")
    assert fields(nodetool("info").out)["Native Transport active"] == "false"
    assert nodetool("status").out.splitlines()[5].startswith("DN ")
    import socket

    with pytest.raises(OSError):
        socket.create_connection((cqld.host, cqld.port), timeout=5).close()
    assert cqld.stop() == 0
    again = start_cqld("--data-dir", str(tmp_path / "data"), "--port", "0")
    cluster = CqlServer("cqld", again.host, again.port).cluster()
    assert [r.k for r in cluster.connect().execute("SELECT k FROM d.t")] == [1]
    cluster.shutdown()


@pytest.mark.only_on("cqld", reason="cqld's own nodetool port and client")
def test_nodetool_port_choices(start_cqld, tmp_path: Path) -> None:
    binary = os.environ.get("CQLD", str(ROOT / ".venv" / "bin" / "cqld"))
    first = start_cqld("--memory", "--port", "0")
    port = NODETOOL_AT.search(first.output()).group(1)
    # An explicit port already taken is an error at start; none means no nodetool port at all.
    taken = subprocess.run([binary, "--memory", "--port", "0", "--nodetool-port", port],
                           capture_output=True, text=True, timeout=60)
    assert taken.returncode != 0
    assert f"cannot listen for nodetool on 127.0.0.1:{port}" in taken.stderr
    quiet = start_cqld("--memory", "--port", "0", "--nodetool-port", "none")
    assert "nodetool at" not in quiet.output()
    # Nothing listening: Cassandra's nodetool message, exit status 1.
    first.stop()
    gone = Nodetool([binary, "nodetool", "-p", port])("status")
    assert gone.code == 1
    assert gone.out == f"nodetool: Failed to connect to '127.0.0.1:{port}' - ConnectException: 'Connection refused'.\n"


@pytest.mark.only_on("cqld", reason="the package's nodetool entry point runs cqld's")
def test_package_entry_point(node: Node) -> None:
    port = node.nodetool.command[-1]
    env = {**os.environ, "CQLD_BINARY": os.environ.get("CQLD", str(ROOT / ".venv" / "bin" / "cqld"))}
    import sys

    done = subprocess.run([sys.executable, "-m", "django_cassandra_engine.nodetool", "-p", port, "version"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done
    assert done.stdout.startswith("ReleaseVersion: ")
