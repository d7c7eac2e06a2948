"""The DataStax Node.js driver (npm cassandra-driver) connects and runs prepared statements,
batches and paging. Its newest release (4.10.0) has no protocol v5 (its protocol-version.js
says v5 is "currently not supported by the driver"): it steps down from DSE v2 to v4, against
Cassandra 5.0 as against cqld."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).parent / "node"


def test_prepared_insert_and_select(cql_server, keyspace):
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "cassandra-driver").is_dir():
        pytest.fail("needs node and `npm install` in tests/drivers/node (make driver-test)")
    args = [node, str(NODE_DIR / "prepared.js"), cql_server.host, str(cql_server.port)]
    args.append(keyspace)
    if cql_server.username:
        args += [cql_server.username, cql_server.password]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["connectedHosts"] == 1
    assert report["protocolVersion"] == 4
    assert (report["pages"], report["paged"]) == (4, 30)  # 30 rows, 8 a page
    assert sorted(report["rows"], key=lambda row: row["id"]) == [
        {"id": 1, "name": "ada", "tags": ["ada", "x"]},
        {"id": 2, "name": "grace", "tags": ["grace", "x"]},
    ]
