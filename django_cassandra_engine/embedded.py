"""The embedded cqld server: find the binary, start or reuse a server for a data directory,
run an in-memory one for a test run.

A data directory holds ``data/`` (cqld's RocksDB files), ``cqld.log`` and ``server.json``
(``{"pid", "host", "port"}`` of the server serving it). ``cqld.lock`` serialises starting, so
several processes (runserver and its reloader, gunicorn workers, a shell) share one server.
A started server outlives the process that started it, like a database daemon; ``manage.py cqld
--stop`` stops it.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BINARY_ENV = "CQLD_BINARY"
# Set while a test run's in-memory server runs, so spawned test workers find it.
TEST_SERVER_ENV = "DJANGO_CASSANDRA_TEST_CQLD"
STARTUP_TIMEOUT_S = 60  # a bound for a server that never comes up, not a speed expectation
LISTENING = re.compile(r"listening on (\S+):(\d+)")
SERVER_FILE = "server.json"


class EmbeddedServerError(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def find_binary() -> str:
    """The cqld binary: $CQLD_BINARY, else the one installed in the package, else the one in
    this environment's bin directory, else the first on PATH."""
    candidates = [
        os.environ.get(BINARY_ENV),
        str(Path(__file__).resolve().parent / "bin" / "cqld"),
        str(Path(sys.executable).parent / "cqld"),
        shutil.which("cqld"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    raise EmbeddedServerError(
        "The embedded Cassandra server (cqld) was not found: install django-cassandra-engine "
        "with pip (its wheel holds cqld; an install from source builds it), put cqld on PATH, "
        f"or set {BINARY_ENV}. To use an existing Cassandra cluster instead, set HOST in the "
        "database settings."
    )


def _accepts_connections(address: Address) -> bool:
    try:
        with socket.create_connection((address.host, address.port), timeout=2):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _set_parent_death_signal() -> None:
    # Linux: the test server dies with the test run even when that run is killed.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class CqldProcess:
    """A cqld child process; its output goes to ``log_path``."""

    def __init__(
        self, args: list[str], log_path: Path, *, detached: bool, env: dict[str, str] | None = None
    ) -> None:
        self.log_path = log_path
        self._log_offset = log_path.stat().st_size if log_path.exists() else 0
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [find_binary(), *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=detached,
                preexec_fn=None if detached else _set_parent_death_signal,
                env={**os.environ, **(env or {})},
            )
        self.address = self._wait_listening()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _output(self) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(self._log_offset)
            return log.read().decode(errors="replace")

    def _wait_listening(self) -> Address:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            match = LISTENING.search(self._output())
            if match:
                return Address(match.group(1), int(match.group(2)))
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        self.stop()
        raise EmbeddedServerError(f"cqld did not start:\n{self._output()[-2000:]}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def wait(self) -> int:
        return self.proc.wait()


@contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "cqld.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_server_file(data_dir: Path) -> tuple[int, Address] | None:
    try:
        info = json.loads((data_dir / SERVER_FILE).read_text())
        return int(info["pid"]), Address(info["host"], int(info["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_server_file(data_dir: Path, pid: int, address: Address) -> None:
    tmp = data_dir / (SERVER_FILE + ".tmp")
    tmp.write_text(json.dumps({"pid": pid, "host": address.host, "port": address.port}))
    tmp.replace(data_dir / SERVER_FILE)


def running_server(data_dir: Path) -> tuple[int, Address] | None:
    """The server serving this data directory, if one runs and accepts connections."""
    found = _read_server_file(data_dir)
    if found and _pid_alive(found[0]) and _accepts_connections(found[1]):
        return found
    return None


# Servers this process started; kept referenced so they are never reaped as garbage.
_started: list[CqldProcess] = []


SUPERUSER_PASSWORD_ENV = "CQLD_SUPERUSER_PASSWORD"
DEFAULT_SUPERUSER = "cassandra"  # the superuser cqld (like Cassandra) creates on its first start
AUTHENTICATORS = ("allow-all", "password")
AUTHORIZERS = ("allow-all", "cassandra")


@dataclass(frozen=True)
class ServerAuth:
    """Authentication and authorization of the embedded cqld, from ``OPTIONS['embedded']``:
    ``authenticator`` ('password', or Cassandra's PasswordAuthenticator; default 'allow-all'),
    ``authorizer`` ('cassandra' / CassandraAuthorizer; default 'allow-all') and
    ``superuser_password`` (the password of the superuser 'cassandra' a fresh server creates)."""

    authenticator: str = "allow-all"
    authorizer: str = "allow-all"
    superuser_password: str = "cassandra"

    @classmethod
    def from_options(cls, options: dict) -> ServerAuth:
        authenticator = _auth_choice(options.get("authenticator"), AUTHENTICATORS, "authenticator")
        authorizer = _auth_choice(options.get("authorizer"), AUTHORIZERS, "authorizer")
        if authorizer == "cassandra" and authenticator != "password":
            raise EmbeddedServerError(
                "OPTIONS['embedded']['authorizer'] = 'cassandra' needs 'authenticator': 'password'"
            )
        password = options.get("superuser_password") or "cassandra"
        return cls(authenticator, authorizer, str(password))

    def args(self) -> list[str]:
        """cqld's flags for these settings (none for the defaults)."""
        args = []
        if self.authenticator != "allow-all":
            args += ["--authenticator", self.authenticator]
        if self.authorizer != "allow-all":
            args += ["--authorizer", self.authorizer]
        return args

    def env(self) -> dict[str, str]:
        """The superuser password goes through the environment: a command line is visible to
        every user of the machine."""
        return {SUPERUSER_PASSWORD_ENV: self.superuser_password}


def _auth_choice(value: object, choices: tuple[str, ...], name: str) -> str:
    """'password', 'PasswordAuthenticator' or 'org.apache.cassandra.auth.PasswordAuthenticator'."""
    if not value:
        return choices[0]
    short = str(value).rsplit(".", 1)[-1]
    for choice in choices:
        cassandra_name = "".join(part.title() for part in choice.split("-")) + name.title()
        if short in (choice, cassandra_name):
            return choice
    raise EmbeddedServerError(
        f"OPTIONS['embedded'][{name!r}] must be one of {', '.join(choices)}, got {value!r}"
    )


def _server_args(data_dir: Path, port: int, extra_args: Sequence[str], auth: ServerAuth) -> list[str]:
    return ["--data-dir", str(data_dir / "data"), "--port", str(port), *extra_args, *auth.args()]


def ensure_server(
    data_dir: Path, port: int = 0, *, extra_args: Sequence[str] = (), auth: ServerAuth | None = None
) -> Address:
    """The address of the server for ``data_dir``: the running one, or one started now with
    ``extra_args`` (cqld flags, such as TLS's) and ``auth``."""
    data_dir = data_dir.resolve()
    with _locked(data_dir):
        found = running_server(data_dir)
        if found:
            return found[1]
        auth = auth or ServerAuth()
        server = CqldProcess(
            _server_args(data_dir, port, extra_args, auth),
            data_dir / "cqld.log",
            detached=True,
            env=auth.env(),
        )
        _started.append(server)
        _write_server_file(data_dir, server.pid, server.address)
        return server.address


def run_foreground(
    data_dir: Path, port: int = 9042, *, extra_args: Sequence[str] = (), auth: ServerAuth | None = None
) -> int:
    """Runs cqld for ``data_dir`` until it exits or this process is interrupted."""
    data_dir = data_dir.resolve()
    with _locked(data_dir):
        found = running_server(data_dir)
        if found:
            raise EmbeddedServerError(
                f"cqld (pid {found[0]}) already serves {data_dir} on {found[1]}"
            )
        auth = auth or ServerAuth()
        server = CqldProcess(
            _server_args(data_dir, port, extra_args, auth),
            data_dir / "cqld.log",
            detached=False,
            env=auth.env(),
        )
        _write_server_file(data_dir, server.pid, server.address)
    print(
        f"cqld serving {data_dir} on {server.address} (pid {server.pid}); Ctrl-C stops it",
        flush=True,
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        return server.stop()
    finally:
        server.stop()
        (data_dir / SERVER_FILE).unlink(missing_ok=True)


def stop_server(data_dir: Path) -> bool:
    """Stops the server serving ``data_dir``; False if none ran."""
    data_dir = data_dir.resolve()
    with _locked(data_dir):
        found = _read_server_file(data_dir)
        if not found or not _pid_alive(found[0]):
            return False
        os.kill(found[0], signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _pid_alive(found[0]) and _accepts_connections(found[1]):
            if time.monotonic() > deadline:
                os.kill(found[0], signal.SIGKILL)
                break
            time.sleep(0.05)
        for server in _started:
            if server.pid == found[0]:
                server.wait()
        (data_dir / SERVER_FILE).unlink(missing_ok=True)
        return True


class _TestServer:
    """The in-memory cqld of a test run, shared by every embedded database of the run."""

    def __init__(self) -> None:
        self.process: CqldProcess | None = None
        self.owner_pid = 0
        self.users = 0
        self.extra_args: tuple[str, ...] = ()

    def acquire(self, extra_args: Sequence[str] = (), auth: ServerAuth | None = None) -> Address:
        """The test server's address, started on first use with ``extra_args`` (TLS flags from
        OPTIONS['embedded']) and the first database's ``auth``; every embedded database of the
        run must ask for the same flags."""
        auth = auth or ServerAuth()
        extra_args = (*extra_args, *auth.args())
        if self.process is not None and extra_args != self.extra_args:
            raise EmbeddedServerError(
                "The embedded databases of a test run share one cqld: give them the same TLS "
                "and auth settings in OPTIONS['embedded']"
            )
        if self.process is None:
            log = Path(os.environ.get("TMPDIR", "/tmp")) / f"cqld-test-{os.getpid()}.log"
            self.process = CqldProcess(
                ["--memory", "--port", "0", *extra_args], log, detached=False, env=auth.env()
            )
            self.extra_args = extra_args
            self.owner_pid = os.getpid()
            os.environ[TEST_SERVER_ENV] = str(self.process.address)
        self.users += 1
        return self.process.address

    def release(self) -> None:
        self.users -= 1
        if self.users <= 0:
            self.stop()

    def stop(self) -> None:
        # Forked test workers inherit this object; only the process that started it stops it.
        if self.process is None or self.owner_pid != os.getpid():
            return
        self.process.stop()
        self.process.log_path.unlink(missing_ok=True)
        self.process = None
        self.users = 0
        os.environ.pop(TEST_SERVER_ENV, None)

    def address(self) -> Address | None:
        if self.process is not None:
            return self.process.address
        inherited = os.environ.get(TEST_SERVER_ENV)
        if inherited:
            host, _, port = inherited.rpartition(":")
            return Address(host, int(port))
        return None


test_server = _TestServer()
atexit.register(test_server.stop)
