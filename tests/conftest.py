"""Shared fixtures: a CQL endpoint per test, on each target named in CQL_TARGETS.

Targets (env CQL_TARGETS, comma separated, default "cqld"):
  cqld       a fresh in-memory cqld per test module ($CQLD, default .venv/bin/cqld).
  cassandra  one real Apache Cassandra node for the whole session: CASSANDRA_HOST/CASSANDRA_PORT
             (+ CASSANDRA_USER/CASSANDRA_PASSWORD) if set, else tools/cassandra/cassandra.sh on
             127.0.0.1:19042, started here (and stopped at the end) unless already running.

Fixtures: `cql_server` (the endpoint), `keyspace` (a fresh keyspace, dropped afterwards),
`session` (a driver session using it), `start_cqld` (start a cqld of one's own with extra args).
Marker: `@pytest.mark.only_on("cqld", reason="...")` runs a test on the named target only.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, Session

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [t.strip() for t in os.environ.get("CQL_TARGETS", "cqld").split(",") if t.strip()]
CASSANDRA_SCRIPT = ROOT / "tools" / "cassandra" / "cassandra.sh"
STARTUP_TIMEOUT_S = 300  # a bound for hung processes, not a speed assertion
LISTENING = re.compile(rb"listening on (\S+):(\d+)")


@dataclass(frozen=True)
class CqlServer:
    target: str  # "cqld" or "cassandra"
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    secure_connect_bundle: str | None = None  # Astra: the bundle replaces host and port

    def cluster(self, **kwargs) -> Cluster:
        """A driver Cluster for this endpoint; the caller shuts it down."""
        if self.username is not None:
            kwargs.setdefault("auth_provider", PlainTextAuthProvider(self.username, self.password))
        if self.secure_connect_bundle:
            return Cluster(cloud={"secure_connect_bundle": self.secure_connect_bundle}, **kwargs)
        return Cluster([self.host], port=self.port, **kwargs)


class CqldProcess:
    """A cqld child process whose stdout/stderr go to a log file."""

    def __init__(self, *args: str) -> None:
        binary = os.environ.get("CQLD", str(ROOT / ".venv" / "bin" / "cqld"))
        if not os.access(binary, os.X_OK):
            pytest.fail(f"cqld binary not found at {binary} (set CQLD or run `make build`)")
        fd, path = tempfile.mkstemp(prefix="cqld-", suffix=".log")
        self.log_path = Path(path)
        with os.fdopen(fd, "wb") as log:
            self.proc = subprocess.Popen(
                [binary, *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.host, self.port = self._wait_listening()

    def _wait_listening(self) -> tuple[str, int]:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            match = LISTENING.search(self.log_path.read_bytes())
            if match:
                return match.group(1).decode(), int(match.group(2))
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        self.stop()
        pytest.fail(f"cqld did not report `listening on`:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 10.0) -> str:
        """The log once it holds "text" (or at the deadline): cqld logs an event after it has
        answered the client, so a test that saw the answer may be ahead of the line."""
        deadline = time.monotonic() + timeout
        while text not in (output := self.output()) and time.monotonic() < deadline:
            time.sleep(0.01)
        return output

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Signals cqld and waits for it; returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def close(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "only_on(target, reason): run this test on one target only (cqld or cassandra)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cql_target" in metafunc.fixturenames:
        metafunc.parametrize("cql_target", TARGETS, scope="module")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("only_on")
        callspec = getattr(item, "callspec", None)
        if marker is None or callspec is None or "cql_target" not in callspec.params:
            continue
        wanted = marker.args[0]
        if callspec.params["cql_target"] != wanted:
            reason = marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"only on {wanted}: {reason}"))


def _cassandra_env() -> dict[str, str]:
    return {**os.environ, "CASSANDRA_PORT": os.environ.get("CASSANDRA_PORT", "19042")}


@pytest.fixture(scope="session")
def cassandra_node() -> Iterator[CqlServer]:
    """The real Cassandra node, shared by the whole session."""
    user, password = (
        os.environ.get("CASSANDRA_USER"),
        os.environ.get("CASSANDRA_PASSWORD"),
    )
    port = int(os.environ.get("CASSANDRA_PORT", "19042"))
    bundle = os.environ.get("CASSANDRA_SECURE_CONNECT_BUNDLE")
    if os.environ.get("CASSANDRA_HOST") or bundle:
        host = os.environ.get("CASSANDRA_HOST", "")
        yield CqlServer("cassandra", host, port, user, password, bundle)
        return
    script = str(CASSANDRA_SCRIPT)
    started = (
        subprocess.run(
            [script, "status"], check=False, env=_cassandra_env(), capture_output=True
        ).returncode
        != 0
    )
    if started:
        subprocess.run([script, "start"], env=_cassandra_env(), check=True)
    if user is None and os.environ.get("CASSANDRA_AUTH") == "password":
        user, password = "cassandra", "cassandra"
    yield CqlServer("cassandra", "127.0.0.1", port, user, password)
    if started:
        subprocess.run([script, "stop"], env=_cassandra_env(), check=False)


@pytest.fixture(scope="module")
def cql_server(cql_target: str, request: pytest.FixtureRequest) -> Iterator[CqlServer]:
    """The endpoint of the current target: a module's own in-memory cqld, or the shared node."""
    if cql_target == "cassandra":
        yield request.getfixturevalue("cassandra_node")
        return
    cqld = CqldProcess("--memory", "--port", "0")
    yield CqlServer("cqld", cqld.host, cqld.port)
    cqld.close()


@pytest.fixture(scope="module")
def admin_session(cql_server: CqlServer) -> Iterator[Session]:
    cluster = cql_server.cluster()
    yield cluster.connect()
    cluster.shutdown()


_counter = itertools.count()


@pytest.fixture
def keyspace(admin_session: Session) -> Iterator[str]:
    """A new SimpleStrategy RF 1 keyspace with a unique name, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}_{next(_counter)}"
    admin_session.execute(
        f"CREATE KEYSPACE {name} WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}"
    )
    yield name
    admin_session.execute(f"DROP KEYSPACE IF EXISTS {name}")


@pytest.fixture
def session(cql_server: CqlServer, keyspace: str) -> Iterator[Session]:
    """A driver session of its own, using the test's keyspace."""
    cluster = cql_server.cluster()
    yield cluster.connect(keyspace)
    cluster.shutdown()


@pytest.fixture
def start_cqld() -> Iterator[Callable[..., CqldProcess]]:
    """Starts cqld processes with the given arguments; all are stopped after the test."""
    started: list[CqldProcess] = []

    def start(*args: str) -> CqldProcess:
        started.append(CqldProcess(*args))
        return started[-1]

    yield start
    for cqld in started:
        cqld.close()
