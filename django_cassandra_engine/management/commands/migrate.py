from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand

from django_cassandra_engine import utils
from django_cassandra_engine.migrations import WithoutCassandraModels


class Command(MigrateCommand):
    """``migrate`` for a Cassandra database syncs it (``sync_cassandra``): Cassandra models have
    no migrations. Other databases migrate as usual, never seeing Cassandra models."""

    autodetector = WithoutCassandraModels

    def handle(self, *args, **options):
        database = options["database"]
        if not utils.is_cassandra(database):
            return super().handle(*args, **options)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Database '{database}' is a Cassandra database: syncing its "
                "models (sync_cassandra) instead of running migrations."
            )
        call_command(
            "sync_cassandra",
            database=database,
            verbosity=options["verbosity"],
            stdout=self.stdout._out,
            stderr=self.stderr._out,
        )
