"""The embedded default: one cqld per data directory, shared by processes; test runs in memory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from django_cassandra_engine import embedded
from django_cassandra_engine.connection import ConnectionSettings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(settings.TARGET != "cqld", reason="the embedded server is cqld")


@pytest.fixture
def data_dir(tmp_path: Path):
    directory = tmp_path / "cqld-data"
    yield directory
    embedded.stop_server(directory)


def test_start_then_reuse_for_a_data_directory(data_dir: Path):
    first = embedded.ensure_server(data_dir)
    _, address = embedded.running_server(data_dir)
    assert address == first and (data_dir / "data").is_dir()
    assert embedded.ensure_server(data_dir) == first  # reused, not a second server
    assert embedded.stop_server(data_dir)
    assert embedded.running_server(data_dir) is None
    assert not embedded.stop_server(data_dir)


def test_processes_share_one_server_and_data_persists(data_dir: Path):
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from cassandra.cluster import Cluster
        from django_cassandra_engine import embedded
        address = embedded.ensure_server(Path({str(data_dir)!r}))
        cluster = Cluster([address.host], port=address.port, protocol_version=4)
        session = cluster.connect()
        session.execute("CREATE KEYSPACE IF NOT EXISTS shared WITH replication = "
                        "{{'class': 'SimpleStrategy', 'replication_factor': 1}}")
        session.execute("CREATE TABLE IF NOT EXISTS shared.t (k int PRIMARY KEY)")
        session.execute("INSERT INTO shared.t (k) VALUES (%s)", [int(sys.argv[1])])
        print(address, len(list(session.execute("SELECT k FROM shared.t"))))
        cluster.shutdown()
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(embedded.TEST_SERVER_ENV, None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(i)], env=env, text=True, stdout=subprocess.PIPE
        )
        for i in range(3)
    ]
    outputs = [p.communicate(timeout=300)[0].split() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert len({address for address, _ in outputs}) == 1  # one server for all three
    assert embedded.running_server(data_dir) is not None
    embedded.stop_server(data_dir)
    # Started again on the same directory, the rows are still there.
    again = subprocess.run(
        [sys.executable, "-c", script, "9"], env=env, text=True, capture_output=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[1] == "4"


def test_databases_default_to_the_embedded_server_next_to_the_project():
    config = ConnectionSettings.from_settings("x", {"NAME": "ks"})
    assert config.is_embedded
    assert config.embedded_data_dir == Path(settings.BASE_DIR) / ".cqld"
    custom = ConnectionSettings.from_settings(
        "x", {"NAME": "ks", "HOST": "embedded", "OPTIONS": {"embedded": {"data_dir": "/srv/cq"}}}
    )
    assert custom.embedded_data_dir == Path("/srv/cq")


@pytest.mark.django_db(databases=["default"])
def test_the_test_run_uses_an_in_memory_server_of_its_own():
    from django.db import connections

    address = embedded.test_server.address()
    assert address is not None
    kwargs = connections["default"].config.cluster_kwargs()
    assert (kwargs["contact_points"], kwargs["port"]) == ([address.host], address.port)
    # Nothing was started for the project's data directory.
    assert not (Path(settings.BASE_DIR) / ".cqld" / "server.json").exists()


def test_missing_binary_is_explained(monkeypatch):
    monkeypatch.setenv(embedded.BINARY_ENV, "/nonexistent/cqld")
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(embedded, "__file__", "/nonexistent/embedded.py")
    with pytest.raises(embedded.EmbeddedServerError, match="set HOST"):
        embedded.find_binary()


def test_embedded_server_with_authentication(data_dir: Path):
    """OPTIONS['embedded'] starts cqld with PasswordAuthenticator and CassandraAuthorizer; without
    USER the backend logs in as the superuser a fresh server creates with superuser_password."""
    from cassandra.auth import PlainTextAuthProvider
    from cassandra.cluster import Cluster, NoHostAvailable

    options = {
        "data_dir": str(data_dir),
        "authenticator": "PasswordAuthenticator",
        "authorizer": "cassandra",
        "superuser_password": "embedded-pw",
    }
    config = ConnectionSettings.from_settings(
        "authed", {"NAME": "ks", "OPTIONS": {"embedded": options}}
    )
    assert (config.user, config.password) == ("cassandra", "embedded-pw")
    # The server of this data directory (cluster_kwargs() would pick the test run's own server).
    address = embedded.ensure_server(data_dir, 0, auth=config.embedded_auth)
    kwargs = {"contact_points": [address.host], "port": address.port, "protocol_version": 4}
    login = PlainTextAuthProvider(config.user, config.password)
    cluster = Cluster(**kwargs, auth_provider=login)
    try:
        session = cluster.connect()
        assert session.execute("SELECT key FROM system.local").one().key == "local"
        assert session.execute("LIST ROLES").one().role == "cassandra"
    finally:
        cluster.shutdown()
    anonymous = Cluster([kwargs["contact_points"][0]], port=kwargs["port"], protocol_version=4)
    with pytest.raises(NoHostAvailable):
        anonymous.connect()
    anonymous.shutdown()
    wrong = Cluster(
        [kwargs["contact_points"][0]],
        port=kwargs["port"],
        protocol_version=4,
        auth_provider=PlainTextAuthProvider("cassandra", "cassandra"),
    )
    with pytest.raises(NoHostAvailable):
        wrong.connect()
    wrong.shutdown()
    # Nothing about the password on cqld's command line: it went through the environment.
    pid, _ = embedded.running_server(data_dir.resolve())
    assert b"embedded-pw" not in Path(f"/proc/{pid}/cmdline").read_bytes()


def test_unknown_embedded_authenticator_is_explained():
    with pytest.raises(embedded.EmbeddedServerError, match="authenticator"):
        ConnectionSettings.from_settings(
            "x", {"NAME": "ks", "OPTIONS": {"embedded": {"authenticator": "kerberos"}}}
        )
