"""Authentication and authorization through real clients: the python-driver's
PlainTextAuthProvider (good and bad credentials), cqlsh -u/-p, the Node.js driver with
credentials, and the Unauthorized error of a role without SELECT.

On cqld each module starts its own server with --authenticator password --authorizer cassandra.
On Cassandra these tests need a node with PasswordAuthenticator and CassandraAuthorizer
(CASSANDRA_AUTH=password, as `make auth-test` starts one); the shared node of `make test` runs
without authentication, so there they are skipped with that reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cassandra import AuthenticationFailed, Unauthorized
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import NoHostAvailable

from tests.conftest import CqldProcess, CqlServer

CQLSH = Path(sys.executable).parent / "cqlsh"
NODE_DIR = Path(__file__).parent / "node"
AUTH_FLAGS = ("--authenticator", "password", "--authorizer", "cassandra")
# Cassandra caches roles and permissions (100 ms in tools/cassandra's configuration); cqld does
# not. A change is waited for at most this long, polling.
PERMISSION_CHANGE_WAIT_S = 10


@pytest.fixture(scope="module")
def auth_server(cql_target: str, request: pytest.FixtureRequest) -> Iterator[CqlServer]:
    if cql_target == "cassandra":
        if os.environ.get("CASSANDRA_AUTH") != "password":
            pytest.skip("the Cassandra node runs without authentication (run `make auth-test`)")
        yield request.getfixturevalue("cassandra_node")
        return
    cqld = CqldProcess("--memory", "--port", "0", *AUTH_FLAGS)
    yield CqlServer("cqld", cqld.host, cqld.port, "cassandra", "cassandra")
    cqld.close()


@pytest.fixture(scope="module")
def superuser(auth_server: CqlServer):
    cluster = auth_server.cluster()
    yield cluster.connect()
    cluster.shutdown()


@pytest.fixture
def keyspace(superuser) -> Iterator[str]:
    """A fresh keyspace on the authenticating server (conftest's is on the module's plain one)."""
    name = f"auth_{uuid.uuid4().hex[:12]}"
    superuser.execute(
        f"CREATE KEYSPACE {name} WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}"
    )
    yield name
    superuser.execute(f"DROP KEYSPACE IF EXISTS {name}")


@pytest.fixture
def role(superuser) -> Iterator[tuple[str, str]]:
    """A login role with no permission, dropped afterwards."""
    name, password = f"r_{uuid.uuid4().hex[:10]}", "s3cret-pw"
    superuser.execute(f"CREATE ROLE {name} WITH PASSWORD = '{password}' AND LOGIN = true")
    yield name, password
    superuser.execute(f"DROP ROLE IF EXISTS {name}")


def login(server: CqlServer, user: str, password: str):
    cluster = server.cluster(auth_provider=PlainTextAuthProvider(user, password))
    return cluster, cluster.connect()


def test_superuser_logs_in(auth_server):
    cluster, session = login(auth_server, "cassandra", "cassandra")
    try:
        row = session.execute("SELECT key FROM system.local").one()
        assert row.key == "local"
    finally:
        cluster.shutdown()


def test_bad_password_is_refused_with_cassandras_message(auth_server):
    cluster = auth_server.cluster(auth_provider=PlainTextAuthProvider("cassandra", "wrong"))
    try:
        with pytest.raises(NoHostAvailable) as refused:
            cluster.connect()
    finally:
        cluster.shutdown()
    (error,) = refused.value.errors.values()
    assert isinstance(error, AuthenticationFailed)
    assert "Provided username cassandra and/or password are incorrect" in str(error)


def test_no_credentials_is_refused(auth_server):
    from cassandra.cluster import Cluster

    cluster = Cluster([auth_server.host], port=auth_server.port)
    try:
        with pytest.raises(NoHostAvailable) as refused:
            cluster.connect()
    finally:
        cluster.shutdown()
    assert "requires authentication" in str(refused.value).lower() or "AuthenticationFailed" in str(
        refused.value
    )


def test_salted_hash_is_bcrypt(superuser, role):
    row = superuser.execute(
        "SELECT salted_hash FROM system_auth.roles WHERE role = %s", (role[0],)
    ).one()
    assert row.salted_hash.startswith("$2a$") and len(row.salted_hash) == 60


def _until(check, timeout=PERMISSION_CHANGE_WAIT_S):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except Unauthorized:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_role_without_select_is_unauthorized_until_granted(auth_server, superuser, keyspace, role):
    name, password = role
    superuser.execute(f"CREATE TABLE {keyspace}.t (k int PRIMARY KEY, v text)")
    superuser.execute(f"INSERT INTO {keyspace}.t (k, v) VALUES (1, 'one')")
    cluster, session = login(auth_server, name, password)
    try:
        with pytest.raises(Unauthorized) as refused:
            session.execute(f"SELECT v FROM {keyspace}.t WHERE k = 1")
        assert (
            f"User {name} has no SELECT permission on <table {keyspace}.t> or any of its parents"
            in str(refused.value)
        )
        superuser.execute(f"GRANT SELECT ON KEYSPACE {keyspace} TO {name}")
        row = _until(lambda: session.execute(f"SELECT v FROM {keyspace}.t WHERE k = 1").one())
        assert row.v == "one"
        with pytest.raises(Unauthorized):
            session.execute(f"INSERT INTO {keyspace}.t (k, v) VALUES (2, 'two')")
    finally:
        cluster.shutdown()


def test_prepared_statement_is_checked_on_every_execution(auth_server, superuser, keyspace, role):
    name, password = role
    superuser.execute(f"CREATE TABLE {keyspace}.p (k int PRIMARY KEY)")
    superuser.execute(f"GRANT SELECT ON TABLE {keyspace}.p TO {name}")
    cluster, session = login(auth_server, name, password)
    try:
        prepared = _until(lambda: session.prepare(f"SELECT k FROM {keyspace}.p WHERE k = ?"))
        assert list(session.execute(prepared, (1,))) == []
        superuser.execute(f"REVOKE SELECT ON TABLE {keyspace}.p FROM {name}")

        def refused():
            session.execute(prepared, (1,))
            raise AssertionError("still allowed")

        deadline = time.monotonic() + PERMISSION_CHANGE_WAIT_S
        while True:
            try:
                refused()
            except Unauthorized:
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        cluster.shutdown()


def run_cqlsh(server: CqlServer, user: str, password: str, statement: str):
    args = [str(CQLSH), server.host, str(server.port), "-u", user, "-p", password, "-e", statement]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_cqlsh_with_credentials(auth_server, role):
    result = run_cqlsh(auth_server, "cassandra", "cassandra", "LIST ROLES")
    assert result.returncode == 0, result.stderr
    assert role[0] in result.stdout


def test_cqlsh_with_a_bad_password(auth_server):
    result = run_cqlsh(auth_server, "cassandra", "not-it", "SELECT key FROM system.local")
    assert result.returncode != 0
    assert "Provided username cassandra and/or password are incorrect" in result.stderr


def test_node_driver_with_credentials(auth_server, keyspace):
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "cassandra-driver").is_dir():
        pytest.fail("needs node and `npm install` in tests/drivers/node (make driver-test)")
    args = [node, str(NODE_DIR / "prepared.js"), auth_server.host, str(auth_server.port), keyspace]
    args += ["cassandra", "cassandra"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["connectedHosts"] == 1


def test_node_driver_with_a_bad_password(auth_server, keyspace):
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "cassandra-driver").is_dir():
        pytest.fail("needs node and `npm install` in tests/drivers/node (make driver-test)")
    args = [node, str(NODE_DIR / "prepared.js"), auth_server.host, str(auth_server.port), keyspace]
    args += ["cassandra", "wrong"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "Provided username cassandra and/or password are incorrect" in result.stderr


@pytest.mark.only_on("cqld", reason="restarts the server on its data directory")
def test_roles_survive_a_restart(cql_target, tmp_path):
    data = tmp_path / "data"
    first = CqldProcess(
        "--data-dir", str(data), "--port", "0", *AUTH_FLAGS, "--superuser-password", "first"
    )
    try:
        server = CqlServer("cqld", first.host, first.port, "cassandra", "first")
        cluster, session = login(server, "cassandra", "first")
        session.execute("CREATE ROLE kept WITH PASSWORD = 'kept-pw' AND LOGIN = true")
        cluster.shutdown()
    finally:
        first.close()
    # The superuser password option applies to the first start only: the stored role stays.
    second = CqldProcess(
        "--data-dir", str(data), "--port", "0", *AUTH_FLAGS, "--superuser-password", "other"
    )
    try:
        server = CqlServer("cqld", second.host, second.port)
        cluster, session = login(server, "kept", "kept-pw")
        assert session.execute("SELECT key FROM system.local").one().key == "local"
        cluster.shutdown()
        with pytest.raises(NoHostAvailable):
            login(server, "cassandra", "other")
    finally:
        second.close()


@pytest.mark.only_on("cqld", reason="cqld's bound on failed logins per connection")
def test_a_connection_is_closed_after_three_failed_logins(cql_target, auth_server):
    import socket
    import struct

    def frame(opcode: int, body: bytes, stream: int = 0) -> bytes:
        return struct.pack(">BBhBi", 4, 0, stream, opcode, len(body)) + body

    def read_frame(sock):
        header = b""
        while len(header) < 9:
            chunk = sock.recv(9 - len(header))
            if not chunk:
                return None
            header += chunk
        _v, _f, _s, opcode, length = struct.unpack(">BBhBi", header)
        body = b""
        while len(body) < length:
            body += sock.recv(length - len(body))
        return opcode, body

    startup = struct.pack(">H", 1) + b"".join(
        struct.pack(">H", len(s)) + s for s in (b"CQL_VERSION", b"3.0.0")
    )
    token = b"\0cassandra\0wrong"
    auth_response = struct.pack(">i", len(token)) + token
    with socket.create_connection((auth_server.host, auth_server.port), timeout=30) as sock:
        sock.sendall(frame(0x01, startup))
        assert read_frame(sock)[0] == 0x03  # AUTHENTICATE
        for attempt in range(3):
            sock.sendall(frame(0x0F, auth_response, stream=attempt + 1))
            opcode, body = read_frame(sock)
            assert opcode == 0x00 and struct.unpack(">i", body[:4])[0] == 0x0100
        assert read_frame(sock) is None  # closed after the third
