"""TLS (client encryption) settings of a Cassandra database.

Three places read them:

- the driver connection: ``OPTIONS['connection']['ssl_context']`` (an ``ssl.SSLContext``, the
  python-driver's way) goes to ``Cluster`` as given. The original package's style,
  ``OPTIONS['connection']['ssl_options']`` alone (``ca_certs``, ``certfile``, ``keyfile``,
  ``cert_reqs``, ``ssl_version``, ``check_hostname``, ``ciphers``), is turned into an
  ``SSLContext`` here: the driver's own conversion sets ``cert_reqs`` as the context's options
  rather than its verify mode, so a legacy ``ssl_version`` leaves the server unverified;
- the embedded cqld: ``OPTIONS['embedded']`` keys ``tls_cert``, ``tls_key``, ``tls_mode``,
  ``tls_ca`` and ``tls_require_client_auth`` become cqld's ``--tls-*`` flags;
- ``dbshell``: cqlsh's ``--ssl`` with the CA and client certificate of these settings.
"""

from __future__ import annotations

import configparser
import ssl
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# ssl_options keys that describe the SSLContext; the rest (server_hostname...) go to wrap_socket.
CONTEXT_OPTIONS = (
    "ssl_version",
    "cert_reqs",
    "check_hostname",
    "keyfile",
    "certfile",
    "ca_certs",
    "ciphers",
)
# The lowest TLS version each legacy ssl.PROTOCOL_* constant asked for.
_LEGACY_VERSIONS = {
    getattr(ssl, name): version
    for name, version in (
        ("PROTOCOL_TLSv1", ssl.TLSVersion.TLSv1),
        ("PROTOCOL_TLSv1_1", ssl.TLSVersion.TLSv1_1),
        ("PROTOCOL_TLSv1_2", ssl.TLSVersion.TLSv1_2),
    )
    if hasattr(ssl, name)
}
EMBEDDED_KEYS = ("tls_cert", "tls_key", "tls_mode", "tls_ca", "tls_require_client_auth")
TLS_MODES = ("required", "optional")
CLIENT_AUTH = {
    False: "false",
    True: "true",
    "false": "false",
    "true": "true",
    "optional": "optional",
}


def uses_tls(cluster_options: Mapping[str, Any]) -> bool:
    return bool(cluster_options.get("ssl_context") or cluster_options.get("ssl_options"))


def context_from_ssl_options(
    ssl_options: Mapping[str, Any],
) -> tuple[ssl.SSLContext, dict[str, Any]]:
    """The SSLContext ``ssl_options`` describe, and the options left for ``wrap_socket``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    version = ssl_options.get("ssl_version")
    if isinstance(version, ssl.TLSVersion):
        context.minimum_version = version
    elif version in _LEGACY_VERSIONS:
        context.minimum_version = _LEGACY_VERSIONS[version]
    # As the driver: the server's certificate is verified unless cert_reqs says otherwise, and its
    # host name only when check_hostname is set.
    context.check_hostname = bool(ssl_options.get("check_hostname", False))
    cert_reqs = ssl_options.get("cert_reqs", ssl.CERT_REQUIRED)
    context.verify_mode = ssl.CERT_NONE if cert_reqs == ssl.CERT_NONE else ssl.CERT_REQUIRED
    if context.check_hostname and context.verify_mode == ssl.CERT_NONE:
        raise ImproperlyConfigured(
            "ssl_options: check_hostname needs cert_reqs other than CERT_NONE"
        )
    if ssl_options.get("ca_certs"):
        context.load_verify_locations(ssl_options["ca_certs"])
    elif context.verify_mode != ssl.CERT_NONE:
        context.load_default_certs()
    if ssl_options.get("certfile"):
        context.load_cert_chain(ssl_options["certfile"], ssl_options.get("keyfile"))
    if ssl_options.get("ciphers"):
        context.set_ciphers(ssl_options["ciphers"])
    rest = {k: v for k, v in ssl_options.items() if k not in CONTEXT_OPTIONS}
    return context, rest


def driver_options(cluster_options: dict[str, Any]) -> dict[str, Any]:
    """``cluster_options`` with ``ssl_options`` alone replaced by the SSLContext they describe."""
    ssl_options = cluster_options.get("ssl_options")
    if not ssl_options or cluster_options.get("ssl_context"):
        return cluster_options
    context, rest = context_from_ssl_options(ssl_options)
    options = {**cluster_options, "ssl_context": context}
    if rest:
        options["ssl_options"] = rest
    else:
        options.pop("ssl_options")
    return options


def embedded_args(embedded_options: Mapping[str, Any]) -> tuple[str, ...]:
    """cqld's TLS flags for ``OPTIONS['embedded']``; () without ``tls_cert``."""
    cert, key = embedded_options.get("tls_cert"), embedded_options.get("tls_key")
    if not cert and not key:
        others = [k for k in EMBEDDED_KEYS if embedded_options.get(k) not in (None, "", False)]
        if others:
            raise ImproperlyConfigured(
                f"OPTIONS['embedded']: {', '.join(others)} need tls_cert and tls_key"
            )
        return ()
    if not (cert and key):
        raise ImproperlyConfigured("OPTIONS['embedded']: tls_cert and tls_key go together")
    mode = embedded_options.get("tls_mode") or "required"
    if mode not in TLS_MODES:
        raise ImproperlyConfigured(
            f"OPTIONS['embedded']['tls_mode'] is 'required' or 'optional', not {mode!r}"
        )
    args = [
        "--tls-cert",
        str(Path(cert).resolve()),
        "--tls-key",
        str(Path(key).resolve()),
        "--tls-mode",
        mode,
    ]
    if embedded_options.get("tls_ca"):
        args += ["--tls-ca", str(Path(embedded_options["tls_ca"]).resolve())]
    client_auth = embedded_options.get("tls_require_client_auth", False)
    if client_auth not in CLIENT_AUTH:
        raise ImproperlyConfigured(
            "OPTIONS['embedded']['tls_require_client_auth'] is True, False or 'optional', "
            f"not {client_auth!r}"
        )
    if CLIENT_AUTH[client_auth] != "false":
        args += ["--tls-require-client-auth", CLIENT_AUTH[client_auth]]
    return tuple(args)


# dbshell


def _ca_file_of(context: ssl.SSLContext, directory: Path) -> str | None:
    """The CA certificates a context trusts, written out as PEM for cqlsh (an SSLContext
    does not keep the name of the file it loaded them from)."""
    certificates = context.get_ca_certs(binary_form=True)
    if not certificates:
        return None
    path = directory / "ca.pem"
    path.write_text("".join(ssl.DER_cert_to_PEM_cert(der) for der in certificates))
    return str(path)


@contextmanager
def cqlsh_environment(
    cluster_options: Mapping[str, Any], user_cqlshrc: Path
) -> Iterator[tuple[dict[str, str], list[str]]]:
    """Environment variables and arguments that give cqlsh the connection's TLS settings:
    ``--ssl``, SSL_CERTFILE (the CA), SSL_VALIDATE, and for a client certificate a private copy
    of the user's cqlshrc with ``[ssl] userkey/usercert`` (cqlsh reads those from no variable)."""
    if not uses_tls(cluster_options):
        yield {}, []
        return
    ssl_options = cluster_options.get("ssl_options") or {}
    context = cluster_options.get("ssl_context")
    with tempfile.TemporaryDirectory(prefix="dbshell-tls-") as tmp:
        directory = Path(tmp)
        env: dict[str, str] = {}
        ca_file = ssl_options.get("ca_certs") or (context and _ca_file_of(context, directory))
        verify = ssl_options.get("cert_reqs", ssl.CERT_REQUIRED) != ssl.CERT_NONE
        if context is not None:
            verify = context.verify_mode != ssl.CERT_NONE
        env["SSL_VALIDATE"] = "true" if verify else "false"
        if ca_file:
            env["SSL_CERTFILE"] = str(ca_file)
        args = ["--ssl"]
        if ssl_options.get("certfile"):
            rc = configparser.ConfigParser()
            rc.read(user_cqlshrc)
            if not rc.has_section("ssl"):
                rc.add_section("ssl")
            rc.set("ssl", "usercert", str(ssl_options["certfile"]))
            rc.set("ssl", "userkey", str(ssl_options.get("keyfile") or ssl_options["certfile"]))
            path = directory / "cqlshrc"
            with open(path, "w") as file:
                rc.write(file)
            path.chmod(0o600)
            args += ["--cqlshrc", str(path)]
        yield env, args
