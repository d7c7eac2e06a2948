"""Starting a fresh in-memory cqld for one run and stopping it afterwards."""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass

STARTUP_TIMEOUT_SECONDS = 30
_LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# What the auth/ case files run on: Cassandra's PasswordAuthenticator and CassandraAuthorizer, with the default
# superuser cassandra/cassandra a fresh node creates.
AUTH_FLAGS = ["--authenticator", "PasswordAuthenticator", "--authorizer", "CassandraAuthorizer"]


def start(binary: str, auth: bool = False) -> Server:
    process = subprocess.Popen(
        [binary, "--memory", "--port", "0", *(AUTH_FLAGS if auth else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    found: list[int] = []
    ready = threading.Event()

    def drain() -> None:  # keep reading so cqld never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            m = _LISTENING.search(line)
            if m and not found:
                found.append(int(m.group(1)))
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    ready.wait(STARTUP_TIMEOUT_SECONDS)
    if not found:
        process.kill()
        raise RuntimeError(f"{binary} did not print 'listening on 127.0.0.1:PORT'")
    return Server(process, found[0])
