from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from django.db.backends.base.client import BaseDatabaseClient

from django_cassandra_engine import tls

# cqlsh's own configuration file, whose other settings a TLS run keeps.
USER_CQLSHRC = Path("~/.cassandra/cqlshrc").expanduser()


class DatabaseClient(BaseDatabaseClient):
    """``manage.py dbshell``: cqlsh on the database's host, port and keyspace."""

    executable_name = "cqlsh"

    def command_line(
        self,
        parameters: list[str],
        credentials_file: str | None = None,
        tls_args: list[str] | None = None,
    ) -> list[str]:
        config = self.connection.config
        kwargs = config.cluster_kwargs()
        args = [self.executable_name]
        if "cloud" in kwargs:
            args += ["--secure-connect-bundle", str(kwargs["cloud"]["secure_connect_bundle"])]
        else:
            args += [kwargs["contact_points"][0], str(kwargs.get("port", 9042))]
        if credentials_file:
            args += ["--credentials", credentials_file]
        elif config.user:
            args += ["-u", config.user]
        args += tls_args or []
        args += ["-k", self.connection.keyspace]
        return args + list(parameters)

    @contextmanager
    def _credentials(self) -> Iterator[str | None]:
        # cqlsh reads a password from a private credentials file; on its command line the
        # password would be visible to every user of the machine.
        config = self.connection.config
        if not (config.user and config.password):
            yield None
            return
        fd, path = tempfile.mkstemp(prefix="cqlsh-", suffix=".credentials")
        try:
            with os.fdopen(fd, "w") as file:
                file.write(
                    f"[plain_text_auth]\nusername = {config.user}\npassword = {config.password}\n"
                )
            yield path
        finally:
            os.unlink(path)

    def runshell(self, parameters: list[str]) -> None:
        if shutil.which(self.executable_name) is None:
            raise CommandError(
                "cqlsh, the Cassandra shell, is not installed or not on PATH; "
                "install it with `pip install 'django-cassandra-engine[shell]'`."
            )
        cluster_options = self.connection.config.cluster_options
        with (
            self._credentials() as credentials_file,
            tls.cqlsh_environment(cluster_options, USER_CQLSHRC) as (tls_env, tls_args),
        ):
            # Variables the user set (SSL_CERTFILE...) win, as they do for cqlsh itself.
            env = {**tls_env, **os.environ}
            subprocess.run(
                self.command_line(parameters, credentials_file, tls_args), check=True, env=env
            )
