"""``manage.py cqld``: the embedded Cassandra server of a database, in the foreground."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from django_cassandra_engine import embedded, utils


class Command(BaseCommand):
    help = (
        "Runs the embedded cqld server of a Cassandra database (no HOST) in the foreground "
        "on its data directory, so other processes (runserver, shells) use it. "
        "--stop stops one running in the background, --status reports it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default=None, help="A Cassandra database alias.")
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="The CQL port (default OPTIONS['embedded']['port'] or 9042).",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--stop", action="store_true", help="Stop the background server.")
        group.add_argument("--status", action="store_true", help="Report the server's address.")

    def handle(self, *args, database=None, port=None, stop=False, status=False, **options):
        alias = database or utils.default_cassandra_alias()
        if alias is None or not utils.is_cassandra(alias):
            raise CommandError("No Cassandra database to serve (ENGINE 'django_cassandra_engine').")
        config = connections[alias].config
        if not config.is_embedded:
            raise CommandError(
                f"Database '{alias}' uses HOST {','.join(config.hosts) or 'cloud'}, "
                "not the embedded server."
            )
        data_dir = config.embedded_data_dir
        if stop:
            stopped = embedded.stop_server(data_dir)
            self.stdout.write(
                f"Stopped cqld serving {data_dir}." if stopped else f"No cqld serves {data_dir}."
            )
            return
        if status:
            found = embedded.running_server(data_dir)
            self.stdout.write(
                f"cqld (pid {found[0]}) serves {data_dir} on {found[1]}."
                if found
                else f"No cqld serves {data_dir}."
            )
            return
        try:
            code = embedded.run_foreground(
                data_dir,
                port or config.embedded_port or 9042,
                extra_args=config.embedded_args,
                auth=config.embedded_auth,
            )
        except embedded.EmbeddedServerError as exc:
            raise CommandError(str(exc)) from exc
        if code not in (0, None):
            raise CommandError(f"cqld exited with status {code}")
