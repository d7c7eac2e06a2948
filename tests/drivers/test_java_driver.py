"""The DataStax Java driver 4.x (Maven com.datastax.oss:java-driver-core 4.17.0) negotiates
protocol v5 and runs prepared statements, a batch, paging and a multi-segment value over it,
with and without lz4 (tests/drivers/java; make driver-test builds it)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JAVA_DIR = Path(__file__).parent / "java"
CLASSPATH = JAVA_DIR / "target" / "classpath.txt"
CLASSES = JAVA_DIR / "target" / "classes"


def run_check(cql_server, keyspace: str, compression: str) -> dict:
    java = shutil.which("java")
    if java is None or not CLASSPATH.is_file():
        pytest.fail("needs java and `mvn -q package` in tests/drivers/java (make driver-test)")
    classpath = f"{CLASSES}:{CLASSPATH.read_text().strip()}"
    args = [java, "-cp", classpath, "cqld.DriverCheck", cql_server.host, str(cql_server.port),
            keyspace, compression]
    if cql_server.username:
        args += [cql_server.username, cql_server.password]
    result = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("compression", ["none", "lz4"])
def test_negotiates_v5_and_runs_prepared_batch_and_paging(cql_server, keyspace, compression):
    report = run_check(cql_server, keyspace, compression)
    assert report == {
        "protocol": "V5",
        "rows": 50,
        "seq_sum": sum(range(50)),
        "pages": 8,  # 50 rows, 7 a page
        "large": 300_000,
    }
