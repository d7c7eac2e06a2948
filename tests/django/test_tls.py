"""The backend's TLS settings against a real cqld with TLS: the embedded server started from
OPTIONS['embedded'], ssl_context and the original package's ssl_options, and dbshell's cqlsh."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from cassandra.cluster import Cluster, NoHostAvailable
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from django_cassandra_engine import embedded, tls
from django_cassandra_engine.connection import ConnectionSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tls_certs import make_certificates  # tests/tls_certs.py

pytestmark = pytest.mark.skipif(settings.TARGET != "cqld", reason="starts embedded cqld servers")


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def tls_database(tmp_path: Path, certs: Path):
    """A DATABASES entry on an embedded cqld of its own with TLS required."""
    data_dir = tmp_path / "cqld-tls"
    entry = {
        "NAME": "ks",
        "OPTIONS": {
            "embedded": {
                "data_dir": data_dir,
                "tls_cert": str(certs / "server.pem"),
                "tls_key": str(certs / "server.key"),
                "tls_ca": str(certs / "ca.pem"),
                "tls_require_client_auth": "optional",
            },
            "connection": {},
        },
    }
    yield entry
    embedded.stop_server(data_dir)


def own_server(monkeypatch) -> None:
    """Databases here reach their own embedded server, not this run's test server."""
    monkeypatch.setattr(embedded.test_server, "address", lambda: None)


def query(config: ConnectionSettings) -> str:
    kwargs = config.cluster_kwargs()
    cluster = Cluster(**kwargs)
    try:
        return cluster.connect().execute("SELECT key FROM system.local").one().key
    finally:
        cluster.shutdown()


def test_embedded_server_with_tls_and_an_ssl_context(tls_database, certs, monkeypatch):
    own_server(monkeypatch)
    context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    tls_database["OPTIONS"]["connection"]["ssl_context"] = context
    config = ConnectionSettings.from_settings("tls", tls_database)
    assert "--tls-cert" in config.embedded_args and "--tls-mode" in config.embedded_args
    assert query(config) == "local"
    address = embedded.running_server(config.embedded_data_dir)[1]
    plaintext = Cluster([address.host], port=address.port, protocol_version=4)
    with pytest.raises(NoHostAvailable):  # the embedded server takes TLS only
        plaintext.connect()
    plaintext.shutdown()


def test_original_packages_ssl_options_verify_the_server(tls_database, certs, monkeypatch):
    own_server(monkeypatch)
    options = tls_database["OPTIONS"]["connection"]
    # The 1.x style: a legacy protocol constant and cert_reqs, with a client certificate.
    options["ssl_options"] = {
        "ca_certs": str(certs / "ca.pem"),
        "certfile": str(certs / "client.pem"),
        "keyfile": str(certs / "client.key"),
        "cert_reqs": ssl.CERT_REQUIRED,
        "ssl_version": ssl.PROTOCOL_TLS_CLIENT,
    }
    assert query(ConnectionSettings.from_settings("tls", tls_database)) == "local"
    # Trusting another CA, the server is refused (the driver's own conversion would accept it).
    options["ssl_options"] = {**options["ssl_options"], "ca_certs": str(certs / "rogue-ca.pem")}
    with pytest.raises(NoHostAvailable, match="CERTIFICATE_VERIFY_FAILED"):
        query(ConnectionSettings.from_settings("tls", tls_database))


def test_ssl_options_become_a_context_with_their_settings(certs):
    legacy = getattr(ssl, "PROTOCOL_TLSv1_2", None)
    options = {"ca_certs": str(certs / "ca.pem"), "server_hostname": "db.example.com"}
    if legacy is not None:
        options["ssl_version"] = legacy
    context, rest = tls.context_from_ssl_options(options)
    assert context.verify_mode == ssl.CERT_REQUIRED and not context.check_hostname
    assert rest == {"server_hostname": "db.example.com"}  # left for wrap_socket
    if legacy is not None:
        assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    context, _ = tls.context_from_ssl_options({"cert_reqs": ssl.CERT_NONE})
    assert context.verify_mode == ssl.CERT_NONE
    driver = tls.driver_options({"ssl_options": {"ca_certs": str(certs / "ca.pem")}, "port": 1})
    assert isinstance(driver["ssl_context"], ssl.SSLContext) and "ssl_options" not in driver


@pytest.mark.parametrize(
    "options, message",
    [
        ({"tls_cert": "s.pem"}, "tls_cert and tls_key go together"),
        ({"tls_mode": "required"}, "tls_mode need tls_cert and tls_key"),
        ({"tls_cert": "s.pem", "tls_key": "s.key", "tls_mode": "on"}, "'required' or 'optional'"),
        (
            {"tls_cert": "s.pem", "tls_key": "s.key", "tls_require_client_auth": "yes"},
            "True, False or 'optional'",
        ),
    ],
)
def test_embedded_tls_settings_are_checked(options, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        tls.embedded_args(options)


def test_unusable_certificate_files_stop_the_embedded_start(tmp_path, certs):
    args = tls.embedded_args(
        {"tls_cert": str(certs / "server.pem"), "tls_key": str(certs / "client.key")}
    )
    with pytest.raises(embedded.EmbeddedServerError, match="does not match certificate"):
        embedded.ensure_server(tmp_path / "bad-tls", extra_args=args)


CQLSH = Path(sys.executable).parent / "cqlsh"
SELECT = "SELECT key FROM system.local"


@pytest.mark.skipif(not CQLSH.exists(), reason="cqlsh is not installed in this environment")
@pytest.mark.parametrize("style", ["ssl_context", "ssl_options"])
def test_dbshell_gives_cqlsh_the_tls_settings(tls_database, certs, tmp_path, monkeypatch, style):
    own_server(monkeypatch)
    monkeypatch.delenv("SSL_CERTFILE", raising=False)
    if style == "ssl_context":
        connection = {"ssl_context": ssl.create_default_context(cafile=str(certs / "ca.pem"))}
    else:
        client = {"certfile": str(certs / "client.pem"), "keyfile": str(certs / "client.key")}
        connection = {"ssl_options": {"ca_certs": str(certs / "ca.pem"), **client}}
    tls_database["OPTIONS"]["connection"] = connection
    # Client certificates required: the ssl_options style brings one, the context style not.
    tls_database["OPTIONS"]["embedded"]["tls_require_client_auth"] = style == "ssl_options"
    config = ConnectionSettings.from_settings("tls", tls_database)
    address = config.cluster_kwargs()
    with tls.cqlsh_environment(config.cluster_options, tmp_path / "no-cqlshrc") as (env, args):
        assert args[0] == "--ssl" and env["SSL_VALIDATE"] == "true"
        assert Path(env["SSL_CERTFILE"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
        result = subprocess.run(
            [str(CQLSH), *args, address["contact_points"][0], str(address["port"]), "-e", SELECT],
            env={**env, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert "(1 rows)" in result.stdout
