"""Test certificates for TLS runs, made with the openssl CLI at test time (no key is committed).

``make_certificates(directory)`` writes, once per directory:
  ca.pem / ca.key            the test CA (the server and the trusted clients are signed by it)
  server.pem / server.key    the server's certificate, for 127.0.0.1 and localhost
  client.pem / client.key    a client certificate signed by the test CA
  rogue-ca.pem, rogue-client.pem / rogue-client.key   a client certificate from another CA

Run as a script (``python tests/tls_certs.py DIR``) it makes them in DIR and prints DIR.
RSA 2048 keys in unencrypted PKCS#8 PEM: what OpenSSL, the JDK's PEM keystores of Cassandra 5,
Python's ssl and Node.js all read. The certificates are valid for 30 days.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

DAYS = "30"


def _openssl(*args: str, cwd: Path) -> None:
    if shutil.which("openssl") is None:
        raise RuntimeError("test certificates need the openssl command (apt-get install openssl)")
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_ca(directory: Path, name: str, subject: str) -> None:
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        DAYS,
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.pem",
        "-subj",
        subject,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )


def _make_signed(directory: Path, name: str, ca: str, subject: str, extensions: str) -> None:
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.csr",
        "-subj",
        subject,
        cwd=directory,
    )
    (directory / f"{name}.ext").write_text(extensions)
    _openssl(
        "x509",
        "-req",
        "-in",
        f"{name}.csr",
        "-CA",
        f"{ca}.pem",
        "-CAkey",
        f"{ca}.key",
        "-CAcreateserial",
        "-days",
        DAYS,
        "-out",
        f"{name}.pem",
        "-extfile",
        f"{name}.ext",
        cwd=directory,
    )
    for leftover in (f"{name}.csr", f"{name}.ext"):
        (directory / leftover).unlink()


def make_certificates(directory: Path) -> Path:
    directory = Path(directory)
    if (directory / "rogue-client.pem").exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    _make_ca(directory, "ca", "/CN=cqld test CA")
    _make_signed(
        directory,
        "server",
        "ca",
        "/CN=localhost",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
    )
    _make_signed(directory, "client", "ca", "/CN=test client", "extendedKeyUsage=clientAuth\n")
    _make_ca(directory, "rogue-ca", "/CN=another CA")
    _make_signed(
        directory, "rogue-client", "rogue-ca", "/CN=rogue client", "extendedKeyUsage=clientAuth\n"
    )
    for key in directory.glob("*.key"):
        key.chmod(0o600)
    return directory


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tls_certs.py DIRECTORY")
    print(make_certificates(Path(sys.argv[1])))
