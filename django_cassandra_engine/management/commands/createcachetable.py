from django.core.management.commands.createcachetable import Command as CreateCacheTableCommand
from django.db import DEFAULT_DB_ALIAS

from django_cassandra_engine import utils
from django_cassandra_engine.cache import tables


class Command(CreateCacheTableCommand):
    """Django's ``createcachetable``, which also creates the tables of CassandraCache caches:
    each in its own database, or with ``--database`` those of that database. Table names given
    as arguments are created in ``--database`` (default: "default"), as Django does."""

    help = "Creates the tables of the database cache backends (SQL and Cassandra)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(database=None)  # to tell "every database" from an explicit one

    def handle(self, *table_names, **options) -> None:
        database = options["database"]
        self.verbosity = options["verbosity"]
        dry_run = options["dry_run"]
        if table_names:
            target = database or DEFAULT_DB_ALIAS
            if not utils.is_cassandra(target):
                return super().handle(*table_names, **{**options, "database": target})
            for table in table_names:
                self.create_cassandra_table(target, table, dry_run)
            return None
        for cache in tables.cassandra_cache_tables():
            if database in (None, cache.database):
                self.create_cassandra_table(cache.database, cache.table, dry_run)
        sql_database = database or DEFAULT_DB_ALIAS
        if not utils.is_cassandra(sql_database):
            super().handle(**{**options, "database": sql_database})
        return None

    def create_cassandra_table(self, database: str, table: str, dry_run: bool) -> None:
        cql = tables.create_cache_table(database, table, dry_run=dry_run)
        if dry_run:
            self.stdout.write(cql)
        elif self.verbosity >= 2:
            self.stdout.write(f"Cache table '{table}' created in database '{database}'.")
