from django.core.management.commands.flush import Command as FlushCommand

from django_cassandra_engine import utils


class Command(FlushCommand):
    """``flush`` on a Cassandra database truncates its models' tables. The post_migrate signal
    is not sent for it: its receivers (content types, permissions) write SQL models."""

    def handle(self, **options):
        if utils.is_cassandra(options["database"]):
            options["inhibit_post_migrate"] = True
        return super().handle(**options)
