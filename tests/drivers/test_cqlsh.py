"""cqlsh (the PyPI package) connects and runs a statement non-interactively."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CQLSH = Path(sys.executable).parent / "cqlsh"


def run_cqlsh(cql_server, statement: str) -> subprocess.CompletedProcess[str]:
    args = [str(CQLSH), cql_server.host, str(cql_server.port), "-e", statement]
    if cql_server.username:
        args += ["-u", cql_server.username, "-p", cql_server.password]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_select_system_local(cql_server):
    result = run_cqlsh(cql_server, "SELECT * FROM system.local")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # A version notice may come first ("cqlsh was built against ..."); the table follows.
    lines = lines[next(i for i, line in enumerate(lines) if "|" in line) :]
    header = [name.strip() for name in lines[0].split("|")]
    assert {"key", "cluster_name", "data_center", "rack", "release_version"} <= set(header)
    values = dict(zip(header, (v.strip() for v in lines[2].split("|")), strict=True))
    assert (values["key"], values["data_center"], values["rack"]) == (
        "local",
        "datacenter1",
        "rack1",
    )
    assert values["partitioner"] == "org.apache.cassandra.dht.Murmur3Partitioner"
    assert lines[-1] == "(1 rows)"
    assert "Traceback" not in result.stderr


def test_reports_syntax_error(cql_server):
    result = run_cqlsh(cql_server, "SELEC * FROM system.local")
    assert result.returncode != 0
    assert "SyntaxException" in result.stderr
