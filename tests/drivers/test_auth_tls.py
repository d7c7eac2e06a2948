"""Authentication over TLS, as production clusters combine them: a server with
PasswordAuthenticator, CassandraAuthorizer and client encryption required, reached by the
python-driver (ssl_context and PlainTextAuthProvider), cqlsh (-u/-p with --ssl) and the Node.js
driver (sslOptions and credentials); a plaintext client, even with good credentials, is refused.

On cqld the module starts its own server with both flag sets. On Cassandra it needs a node started
with both (CASSANDRA_AUTH=password, CASSANDRA_TLS_DIR and CASSANDRA_TLS_MODE=required for
tools/cassandra/cassandra.sh, and the same variables here); otherwise it is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cassandra import AuthenticationFailed, Unauthorized
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, NoHostAvailable
from tls_certs import make_certificates

from tests.conftest import CqldProcess

WAIT_S = 30  # bounds a hang; not a speed assertion
CQLSH = Path(sys.executable).parent / "cqlsh"
NODE_DIR = Path(__file__).parent / "node"
SUPERUSER = ("cassandra", "cassandra")


class Endpoint:
    def __init__(self, host: str, port: int, certs: Path, client_cert: bool) -> None:
        self.host, self.port, self.certs = host, port, certs
        self.client = "client" if client_cert else None  # a certificate the server asks for


@pytest.fixture(scope="module")
def endpoint(cql_target, tmp_path_factory) -> Iterator[Endpoint]:
    if cql_target == "cassandra":
        tls_dir = os.environ.get("CASSANDRA_TLS_DIR")
        if os.environ.get("CASSANDRA_AUTH") != "password" or not tls_dir:
            pytest.skip(
                "needs a Cassandra node with PasswordAuthenticator and client encryption "
                "(CASSANDRA_AUTH=password CASSANDRA_TLS_DIR=DIR CASSANDRA_TLS_MODE=required)"
            )
        if os.environ.get("CASSANDRA_TLS_MODE") != "required":
            pytest.skip("the node serves plaintext too (CASSANDRA_TLS_MODE is not required)")
        host = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
        port = int(os.environ.get("CASSANDRA_PORT", "19042"))
        client = os.environ.get("CASSANDRA_TLS_CLIENT_AUTH", "false") != "false"
        yield Endpoint(host, port, Path(tls_dir), client)
        return
    certs = make_certificates(tmp_path_factory.mktemp("tls"))
    cqld = CqldProcess(
        "--memory", "--port", "0",
        "--authenticator", "password", "--authorizer", "cassandra",
        "--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server.key"),
        "--tls-mode", "required",
    )  # fmt: skip
    yield Endpoint(cqld.host, cqld.port, certs, client_cert=False)
    cqld.close()


def ssl_context(endpoint: Endpoint):
    import ssl

    context = ssl.create_default_context(cafile=str(endpoint.certs / "ca.pem"))
    if endpoint.client:
        context.load_cert_chain(
            str(endpoint.certs / "client.pem"), str(endpoint.certs / "client.key")
        )
    return context


def connect(endpoint: Endpoint, user: str, password: str, *, tls: bool = True) -> Cluster:
    return Cluster(
        [endpoint.host],
        port=endpoint.port,
        ssl_context=ssl_context(endpoint) if tls else None,
        auth_provider=PlainTextAuthProvider(user, password),
        connect_timeout=WAIT_S,
    )


@pytest.fixture(scope="module")
def superuser(endpoint):
    cluster = connect(endpoint, *SUPERUSER)
    yield cluster.connect()
    cluster.shutdown()


def test_python_driver_logs_in_over_tls(endpoint, superuser):
    row = superuser.execute("SELECT key FROM system.local").one()
    assert row.key == "local"
    socket_ = superuser.cluster.control_connection._connection._socket
    assert socket_.version() in ("TLSv1.2", "TLSv1.3")


def test_bad_password_over_tls_is_refused(endpoint):
    cluster = connect(endpoint, "cassandra", "not-it")
    try:
        with pytest.raises(NoHostAvailable) as raised:
            cluster.connect()
        errors = list(raised.value.errors.values())
        assert any(isinstance(e, AuthenticationFailed) for e in errors), errors
        assert "Provided username cassandra and/or password are incorrect" in str(errors)
    finally:
        cluster.shutdown()


def test_plaintext_client_with_good_credentials_is_refused(endpoint):
    cluster = connect(endpoint, *SUPERUSER, tls=False)
    try:
        with pytest.raises(NoHostAvailable):
            cluster.connect()
    finally:
        cluster.shutdown()


def test_role_without_select_is_unauthorized_over_tls(endpoint, superuser):
    superuser.execute(
        "CREATE KEYSPACE IF NOT EXISTS auth_tls WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}"
    )
    superuser.execute("CREATE TABLE IF NOT EXISTS auth_tls.t (k int PRIMARY KEY, v int)")
    superuser.execute("CREATE ROLE IF NOT EXISTS tls_reader WITH PASSWORD = 'pw' AND LOGIN = true")
    cluster = connect(endpoint, "tls_reader", "pw")
    try:
        session = cluster.connect()
        with pytest.raises(Unauthorized) as raised:
            session.execute("SELECT * FROM auth_tls.t")
        assert "User tls_reader has no SELECT permission on <table auth_tls.t>" in str(raised.value)
    finally:
        cluster.shutdown()
        superuser.execute("DROP ROLE IF EXISTS tls_reader")
        superuser.execute("DROP KEYSPACE IF EXISTS auth_tls")


def run_cqlsh(endpoint: Endpoint, home: Path, password: str) -> subprocess.CompletedProcess:
    """cqlsh --ssl -u -p, the CA (and a client certificate) from ~/.cassandra/cqlshrc."""
    lines = ["[ssl]", f"certfile = {endpoint.certs / 'ca.pem'}", "validate = true"]
    if endpoint.client:
        lines += [
            f"userkey = {endpoint.certs / 'client.key'}",
            f"usercert = {endpoint.certs / 'client.pem'}",
        ]
    (home / ".cassandra").mkdir(exist_ok=True)
    (home / ".cassandra" / "cqlshrc").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "HOME": str(home)}
    env.pop("SSL_CERTFILE", None)
    args = [str(CQLSH), "--ssl", "-u", "cassandra", "-p", password, endpoint.host]
    args += [str(endpoint.port), "-e", "LIST ROLES"]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, env=env)


def test_cqlsh_with_credentials_and_ssl(endpoint, tmp_path):
    result = run_cqlsh(endpoint, tmp_path, "cassandra")
    assert result.returncode == 0, result.stderr
    assert "cassandra" in result.stdout and "super" in result.stdout


def test_cqlsh_with_ssl_and_a_bad_password(endpoint, tmp_path):
    result = run_cqlsh(endpoint, tmp_path, "not-it")
    assert result.returncode != 0
    assert "Provided username cassandra and/or password are incorrect" in result.stderr


def run_node(endpoint: Endpoint, password: str) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "cassandra-driver").is_dir():
        pytest.fail("needs node and `npm install` in tests/drivers/node (make driver-test)")
    args = [node, str(NODE_DIR / "tls.js"), endpoint.host, str(endpoint.port)]
    args.append(str(endpoint.certs / "ca.pem"))
    if endpoint.client:
        args += [str(endpoint.certs / "client.pem"), str(endpoint.certs / "client.key")]
    env = {**os.environ, "CQL_USERNAME": "cassandra", "CQL_PASSWORD": password}
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, env=env)


def test_node_driver_with_credentials_and_tls(endpoint):
    result = run_node(endpoint, "cassandra")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["key"] == "local"
    assert report["protocol"] in ("TLSv1.2", "TLSv1.3")


def test_node_driver_with_tls_and_a_bad_password(endpoint):
    result = run_node(endpoint, "wrong")
    assert result.returncode != 0
    assert "Provided username cassandra and/or password are incorrect" in result.stderr


def test_plaintext_bytes_get_no_cql_answer(endpoint):
    """A raw plaintext OPTIONS frame: the TLS-only server answers no CQL frame."""
    with socket.create_connection((endpoint.host, endpoint.port), timeout=WAIT_S) as sock:
        sock.sendall(bytes([0x04, 0, 0, 0, 0x05, 0, 0, 0, 0]))
        received = b""
        try:
            while chunk := sock.recv(4096):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    assert not received or received[0] == 0x15  # nothing, or a TLS alert record
