from django.core.management.commands.makemigrations import Command as MakeMigrationsCommand

from django_cassandra_engine.migrations import WithoutCassandraModels, without_cassandra_operations


class Command(MakeMigrationsCommand):
    """``makemigrations`` that leaves Cassandra models out: their tables are synced, not
    migrated."""

    autodetector = WithoutCassandraModels

    def write_migration_files(self, changes, *args, **kwargs):
        # Django versions without the `autodetector` hook (4.2) still produce operations for
        # Cassandra models; drop them here.
        changes = without_cassandra_operations(changes)
        if not changes:
            if self.verbosity >= 1:
                self.log("No changes detected")
            return
        return super().write_migration_files(changes, *args, **kwargs)
