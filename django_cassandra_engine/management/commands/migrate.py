from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from django_cassandra_engine import utils
from django_cassandra_engine.connection import point_default_keyspace
from django_cassandra_engine.migrations import WithoutCassandraModels


class Command(MigrateCommand):
    """``migrate`` on a Cassandra database: creates its keyspace, runs the migrations of the
    Django models stored in it (recorded in its ``django_migrations`` table), then syncs its
    DjangoCassandraModel and cqlengine models (``sync_cassandra``), which have no migrations.
    Other databases migrate as usual, never seeing Cassandra models."""

    autodetector = WithoutCassandraModels

    def handle(self, *args, **options):
        database = options["database"]
        if not utils.is_cassandra(database):
            return super().handle(*args, **options)
        with connections[database].schema_editor() as editor:
            editor.create_keyspace()
        point_default_keyspace()
        super().handle(*args, **options)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Syncing the Cassandra models of database '{database}' (sync_cassandra)."
            )
        call_command(
            "sync_cassandra",
            database=database,
            verbosity=options["verbosity"],
            stdout=self.stdout._out,
            stderr=self.stderr._out,
        )
