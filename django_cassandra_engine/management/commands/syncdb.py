from django_cassandra_engine.management.commands.sync_cassandra import Command as SyncCommand


class Command(SyncCommand):
    """``syncdb``, the original package's name for ``sync_cassandra``."""
