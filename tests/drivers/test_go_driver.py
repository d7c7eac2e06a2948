"""gocql runs prepared statements (it prepares every statement), a logged batch, paging and a
multi-segment-sized value, on both targets, in its two lines (tests/drivers/go, one program built
against each):
- gocql v1.7.0 has no protocol v5: its version discovery starts at v4 (control.go:
  `connCfg.ProtoVersion = 4`) and it has no v5 segment framing, so it negotiates v4 with
  Cassandra 5.0 as with cqld; the test asserts that.
- its successor, the Apache gocql driver 2.1.2 (github.com/apache/cassandra-gocql-driver/v2),
  discovers v5 first and negotiates it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

GO_BIN = Path(__file__).parent / "go" / "bin"


@pytest.mark.parametrize(
    ("program", "protocol"),
    [("gocheck", 4), ("gocheck-v2", 5)],
    ids=["gocql-1.7.0", "apache-gocql-2.1.2"],
)
def test_negotiates_and_runs_prepared_batch_and_paging(cql_server, keyspace, program, protocol):
    check = GO_BIN / program
    if not check.is_file():
        pytest.fail(f"needs {program} built in tests/drivers/go (make driver-test)")
    args = [str(check), cql_server.host, str(cql_server.port), keyspace]
    if cql_server.username:
        args += [cql_server.username, cql_server.password]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "protocol": protocol,
        "rows": 50,
        "seq_sum": sum(range(50)),
        "pages": 8,  # 50 rows, 7 a page
        "large": 300_000,
    }
