"""Client encryption: drivers over TLS, plaintext clients on TLS-only and optional ports, client
certificates, TLS versions, and the transport's bounds holding for TLS connections.

Certificates are made at test time (tests/tls_certs.py). On the cqld target each test starts a
cqld of its own with the TLS options it needs. On the cassandra target the tests run against
the shared node only when it was started with client encryption: CASSANDRA_TLS_DIR (the
directory of tests/tls_certs.py's files the node uses) and CASSANDRA_TLS_MODE / _CLIENT_AUTH as
given to tools/cassandra/cassandra.sh; without them they are skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cassandra import InvalidRequest
from cassandra.cluster import Cluster, NoHostAvailable
from test_bad_input import HEADER, QUERY, RESULT, RawConnection, query_body
from tls_certs import make_certificates

WAIT_S = 30  # bounds a hang; not a speed assertion
CQLSH = Path(sys.executable).parent / "cqlsh"
NODE_DIR = Path(__file__).parent / "node"
OPTIONS_FRAME = HEADER.pack(0x04, 0, 0, 0x05, 0)
CASSANDRA_TLS_DIR = os.environ.get("CASSANDRA_TLS_DIR")
CASSANDRA_TLS_MODE = os.environ.get("CASSANDRA_TLS_MODE", "optional")
CASSANDRA_CLIENT_AUTH = os.environ.get("CASSANDRA_TLS_CLIENT_AUTH", "false")


@pytest.fixture(scope="module")
def certs(cql_target, tmp_path_factory) -> Path:
    if cql_target == "cassandra":
        if not CASSANDRA_TLS_DIR:
            pytest.skip(
                "the Cassandra node runs without client encryption: start it with "
                "CASSANDRA_TLS_DIR=DIR (after `python tests/tls_certs.py DIR`) and set it here too"
            )
        return Path(CASSANDRA_TLS_DIR)
    return make_certificates(tmp_path_factory.mktemp("tls"))


class Endpoint:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.username = self.password = None


def client_context(certs: Path, *, ca: str = "ca.pem", client: str | None = None) -> ssl.SSLContext:
    """What an application passes as ssl_context: the server verified against the CA."""
    context = ssl.create_default_context(cafile=str(certs / ca))
    if client:
        context.load_cert_chain(str(certs / f"{client}.pem"), str(certs / f"{client}.key"))
    return context


def tls_cqld(start_cqld, certs: Path, *args: str):
    return start_cqld(
        "--memory",
        "--port",
        "0",
        "--tls-cert",
        str(certs / "server.pem"),
        "--tls-key",
        str(certs / "server.key"),
        *args,
    )


@pytest.fixture(scope="module")
def tls_endpoint(cql_target, certs, cql_server):
    """A TLS endpoint on this target: cqld with --tls-mode required, or the TLS Cassandra."""
    if cql_target == "cassandra":
        yield Endpoint(cql_server.host, cql_server.port)
        return
    from conftest import CqldProcess

    cqld = CqldProcess(
        "--memory",
        "--port",
        "0",
        "--tls-cert",
        str(certs / "server.pem"),
        "--tls-key",
        str(certs / "server.key"),
    )
    yield Endpoint(cqld.host, cqld.port)
    cqld.close()


def client_cert_for(cql_target: str) -> str | None:
    return "client" if cql_target == "cassandra" and CASSANDRA_CLIENT_AUTH != "false" else None


def connect(endpoint, context: ssl.SSLContext | None, **kwargs) -> Cluster:
    cluster = Cluster(
        [endpoint.host], port=endpoint.port, ssl_context=context, connect_timeout=WAIT_S, **kwargs
    )
    return cluster


def tls_version(cluster: Cluster) -> str:
    return cluster.control_connection._connection._socket.version()


def raw_tls(endpoint, context: ssl.SSLContext) -> RawConnection:
    conn = RawConnection.__new__(RawConnection)
    conn.server = endpoint
    plain = socket.create_connection((endpoint.host, endpoint.port), timeout=WAIT_S)
    conn.sock = context.wrap_socket(plain, server_hostname=endpoint.host)
    return conn


def closed_without_answer(sock: socket.socket) -> bool:
    """True when the server closes the connection without a CQL frame (EOF or reset; a TLS
    alert may come first)."""
    sock.settimeout(WAIT_S)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except ConnectionResetError:
        pass
    return not received or received[0] == 0x15  # nothing, or a TLS alert record


def refused_with_alert(endpoint, context: ssl.SSLContext) -> str:
    """The TLS alert a refused client certificate gets ("unknown ca"...). With TLS 1.3 the
    server sends it after the client's handshake has completed, on the first read."""
    plain = socket.create_connection((endpoint.host, endpoint.port), timeout=WAIT_S)
    try:
        sock = context.wrap_socket(plain, server_hostname=endpoint.host)
        sock.sendall(OPTIONS_FRAME)
        data = sock.recv(1)
        return f"answered {data!r}"
    except ssl.SSLError as e:
        return (
            e.reason.removeprefix("TLSV13_ALERT_")
            .removeprefix("TLSV1_ALERT_")
            .replace("_", " ")
            .lower()
        )
    finally:
        plain.close()


# The python-driver


def test_python_driver_reads_and_writes_over_tls(cql_target, certs, tls_endpoint):
    context = client_context(certs, client=client_cert_for(cql_target))
    cluster = connect(tls_endpoint, context)
    session = cluster.connect()
    try:
        assert tls_version(cluster) in ("TLSv1.2", "TLSv1.3")
        assert session.execute("SELECT key FROM system.local").one().key == "local"
        ks = f"tls_{os.getpid()}"
        session.execute(
            f"CREATE KEYSPACE IF NOT EXISTS {ks} WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute(f"CREATE TABLE IF NOT EXISTS {ks}.blobs (id int PRIMARY KEY, data blob)")
        # Bigger than one TLS record (16 KiB) many times over, both ways.
        payload = os.urandom(1 << 20)
        session.execute(f"INSERT INTO {ks}.blobs (id, data) VALUES (1, %s)", [payload])
        assert session.execute(f"SELECT data FROM {ks}.blobs WHERE id = 1").one().data == payload
        prepared = session.prepare(f"SELECT id FROM {ks}.blobs WHERE id = ?")
        assert [r.id for r in session.execute(prepared, [1])] == [1]
        session.execute(f"DROP KEYSPACE {ks}")
    finally:
        cluster.shutdown()


def test_the_server_is_verified_against_the_clients_ca(cql_target, certs, tls_endpoint):
    cluster = connect(tls_endpoint, client_context(certs, ca="rogue-ca.pem"))
    with pytest.raises(NoHostAvailable, match="CERTIFICATE_VERIFY_FAILED"):
        cluster.connect()
    cluster.shutdown()


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_tls_1_2_and_1_3_are_served(cql_target, certs, tls_endpoint, version):
    context = client_context(certs, client=client_cert_for(cql_target))
    context.minimum_version = context.maximum_version = getattr(ssl.TLSVersion, version)
    cluster = connect(tls_endpoint, context)
    try:
        cluster.connect().execute("SELECT key FROM system.local")
        assert tls_version(cluster) == version.replace("_", ".")
    finally:
        cluster.shutdown()


@pytest.mark.only_on("cqld", reason="needs a server of its own with TLS 1.1 enabled on the client")
def test_tls_below_1_2_is_refused(certs, start_cqld):
    cqld = tls_cqld(start_cqld, certs)
    context = client_context(certs)
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    plain = socket.create_connection((cqld.host, cqld.port), timeout=WAIT_S)
    with pytest.raises(ssl.SSLError, match="PROTOCOL_VERSION"):
        context.wrap_socket(plain, server_hostname=cqld.host)
    plain.close()
    failed = "TLS handshake with 127.0.0.1 failed"
    assert failed in cqld.wait_for_output(failed)  # refused by the server


# Plaintext clients


def test_a_plaintext_client_of_a_tls_only_server_is_disconnected(cql_target, certs, tls_endpoint):
    if cql_target == "cassandra" and CASSANDRA_TLS_MODE != "required":
        pytest.skip("the Cassandra node takes plaintext too (CASSANDRA_TLS_MODE=optional)")
    sock = socket.create_connection((tls_endpoint.host, tls_endpoint.port), timeout=WAIT_S)
    sock.sendall(OPTIONS_FRAME)
    assert closed_without_answer(sock)
    sock.close()
    cluster = connect(tls_endpoint, None)
    with pytest.raises(NoHostAvailable):
        cluster.connect()
    cluster.shutdown()


@pytest.mark.only_on("cqld", reason="starts servers in both modes (cassandra: CASSANDRA_TLS_MODE)")
def test_optional_mode_serves_tls_and_plaintext_on_one_port(certs, start_cqld):
    cqld = tls_cqld(start_cqld, certs, "--tls-mode", "optional")
    endpoint = Endpoint(cqld.host, cqld.port)
    for context in (client_context(certs), None):
        cluster = connect(endpoint, context)
        try:
            assert cluster.connect().execute("SELECT key FROM system.local").one().key == "local"
            encrypted = isinstance(cluster.control_connection._connection._socket, ssl.SSLSocket)
            assert encrypted == (context is not None)
        finally:
            cluster.shutdown()


# Client certificates


@pytest.mark.only_on("cqld", reason="starts a server that requires client certificates")
def test_client_certificates_are_required_when_asked(certs, start_cqld):
    cqld = tls_cqld(
        start_cqld, certs, "--tls-ca", str(certs / "ca.pem"), "--tls-require-client-auth", "true"
    )
    endpoint = Endpoint(cqld.host, cqld.port)
    cluster = connect(endpoint, client_context(certs, client="client"))
    try:
        assert cluster.connect().execute("SELECT key FROM system.local").one().key == "local"
    finally:
        cluster.shutdown()
    for refused, alert in (
        (client_context(certs), "certificate required"),
        (client_context(certs, client="rogue-client"), "unknown ca"),
    ):
        assert refused_with_alert(endpoint, refused) == alert
    failed = "TLS handshake with 127.0.0.1 failed"
    assert failed in cqld.wait_for_output(failed)


@pytest.mark.only_on("cqld", reason="starts a server with optional client certificates")
def test_optional_client_certificates_are_verified_when_sent(certs, start_cqld):
    cqld = tls_cqld(
        start_cqld,
        certs,
        "--tls-ca",
        str(certs / "ca.pem"),
        "--tls-require-client-auth",
        "optional",
    )
    endpoint = Endpoint(cqld.host, cqld.port)
    for context in (client_context(certs), client_context(certs, client="client")):
        conn = raw_tls(endpoint, context)
        opcode, _ = conn.request(0x05, b"")
        assert opcode == 0x06  # SUPPORTED
        conn.sock.close()
    rogue = client_context(certs, client="rogue-client")
    assert refused_with_alert(endpoint, rogue) == "unknown ca"


# The transport's bounds over TLS


@pytest.mark.only_on("cqld", reason="sets the server's handshake timeout")
def test_a_client_stalling_in_the_tls_handshake_is_closed(certs, start_cqld):
    cqld = tls_cqld(start_cqld, certs, "--handshake-timeout-ms", "800", "--tls-mode", "optional")
    endpoint = Endpoint(cqld.host, cqld.port)
    silent = socket.create_connection((cqld.host, cqld.port))  # says nothing at all
    partial = socket.create_connection((cqld.host, cqld.port))
    partial.sendall(b"\x16\x03\x01\x02\x00\x01")  # the start of a ClientHello, then nothing
    # A completed handshake that never sends STARTUP is closed as well.
    handshaken = raw_tls(endpoint, client_context(certs))
    started = time.monotonic()
    for sock in (silent, partial, handshaken.sock):
        assert closed_without_answer(sock)
        sock.close()
    assert time.monotonic() - started < WAIT_S
    conn = raw_tls(endpoint, client_context(certs))
    conn.startup()
    assert conn.request(QUERY, query_body("SELECT key FROM system.local"))[0] == RESULT


@pytest.mark.only_on("cqld", reason="sets the server's frame limit")
def test_a_frame_over_the_limit_is_refused_over_tls_and_the_connection_kept(certs, start_cqld):
    cqld = tls_cqld(start_cqld, certs, "--max-frame-size-mb", "1")
    cluster = connect(Endpoint(cqld.host, cqld.port), client_context(certs))
    session = cluster.connect()
    try:
        session.execute(
            "CREATE KEYSPACE k WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.execute("CREATE TABLE k.t (id int PRIMARY KEY, data blob)")
        # Cassandra's wording for v4 frames or v5 segments, whichever the driver negotiated.
        with pytest.raises(InvalidRequest, match="Request is too big|exceeds allowed maximum"):
            session.execute("INSERT INTO k.t (id, data) VALUES (1, %s)", [b"x" * (2 << 20)])
        session.execute("INSERT INTO k.t (id, data) VALUES (2, %s)", [b"y" * 1000])
        assert session.execute("SELECT data FROM k.t WHERE id = 2").one().data == b"y" * 1000
    finally:
        cluster.shutdown()


@pytest.mark.only_on("cqld", reason="starts cqld with unusable TLS files")
@pytest.mark.parametrize(
    "cert, key, message",
    [
        ("missing.pem", "server.key", "TLS: certificate {dir}/missing.pem is not a readable file"),
        ("server.pem", "client.key", "TLS: private key {dir}/client.key does not match"),
        ("server.key", "server.key", "TLS: cannot load certificate {dir}/server.key: "),
    ],
)
def test_unusable_tls_files_stop_the_start_with_a_clear_error(certs, cert, key, message):
    binary = os.environ.get("CQLD", str(Path(__file__).parents[2] / ".venv" / "bin" / "cqld"))
    result = subprocess.run(
        [
            binary,
            "--memory",
            "--port",
            "0",
            "--tls-cert",
            str(certs / cert),
            "--tls-key",
            str(certs / key),
        ],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        check=False,
    )
    assert result.returncode != 0
    assert message.format(dir=certs) in result.stderr
    assert "listening on" not in result.stdout


# cqlsh and the Node.js driver


def run_cqlsh(
    endpoint, certs: Path, cql_target: str, home: Path, *, rc: bool
) -> subprocess.CompletedProcess:
    """cqlsh --ssl, the CA from ~/.cassandra/cqlshrc ([ssl] certfile) or from SSL_CERTFILE."""
    env = {**os.environ, "HOME": str(home)}
    env.pop("SSL_CERTFILE", None)
    client = client_cert_for(cql_target)
    lines = ["[ssl]"]
    if rc:
        lines += [f"certfile = {certs / 'ca.pem'}", "validate = true"]
    else:
        env["SSL_CERTFILE"], env["SSL_VALIDATE"] = str(certs / "ca.pem"), "true"
    if client:  # cqlsh reads the client certificate from cqlshrc only
        lines += [f"userkey = {certs / 'client.key'}", f"usercert = {certs / 'client.pem'}"]
    (home / ".cassandra").mkdir(exist_ok=True)
    (home / ".cassandra" / "cqlshrc").write_text("\n".join(lines) + "\n")
    args = [
        str(CQLSH),
        "--ssl",
        endpoint.host,
        str(endpoint.port),
        "-e",
        "SELECT key FROM system.local",
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, env=env)


@pytest.mark.parametrize("config", ["cqlshrc", "environment"])
def test_cqlsh_with_ssl(cql_target, certs, tls_endpoint, tmp_path, config):
    result = run_cqlsh(tls_endpoint, certs, cql_target, tmp_path, rc=config == "cqlshrc")
    assert result.returncode == 0, result.stderr
    assert "local" in result.stdout and "(1 rows)" in result.stdout


def run_node(endpoint, certs: Path, client: str | None) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "cassandra-driver").is_dir():
        pytest.fail("needs node and `npm install` in tests/drivers/node (make driver-test)")
    args = [
        node,
        str(NODE_DIR / "tls.js"),
        endpoint.host,
        str(endpoint.port),
        str(certs / "ca.pem"),
    ]
    if client:
        args += [str(certs / f"{client}.pem"), str(certs / f"{client}.key")]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_node_driver_with_ssl_options(cql_target, certs, tls_endpoint):
    result = run_node(tls_endpoint, certs, client_cert_for(cql_target))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["key"] == "local"
    assert report["protocol"] in ("TLSv1.2", "TLSv1.3")


@pytest.mark.only_on("cqld", reason="starts a server that requires client certificates")
def test_node_driver_with_a_client_certificate(certs, start_cqld):
    cqld = tls_cqld(
        start_cqld, certs, "--tls-ca", str(certs / "ca.pem"), "--tls-require-client-auth", "true"
    )
    endpoint = Endpoint(cqld.host, cqld.port)
    refused = run_node(endpoint, certs, None)
    assert refused.returncode != 0
    assert "NoHostAvailableError" in refused.stderr
    result = run_node(endpoint, certs, "client")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["key"] == "local"
