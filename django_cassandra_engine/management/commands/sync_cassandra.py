from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from django_cassandra_engine import utils
from django_cassandra_engine.cache import tables as cache_tables
from django_cassandra_engine.connection import point_default_keyspace
from django_cassandra_engine.models.discovery import models_for_database


def model_label(model: type) -> str:
    meta = getattr(model, "_meta", None)
    return meta.label if meta is not None else f"{model.__module__}.{model.__name__}"


class Command(BaseCommand):
    help = (
        "Creates the keyspace of each Cassandra database (with its replication), the "
        "user types, tables and indexes of its models, and the tables of its caches "
        "(CassandraCache); adds missing columns and indexes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--database", default=None, help="Sync only this database (an alias in DATABASES)."
        )

    def handle(self, *args, database: str | None = None, **options) -> None:
        if database is not None:
            if not utils.is_cassandra(database):
                raise CommandError(f"Database '{database}' is not a Cassandra database.")
            aliases = [database]
        else:
            aliases = utils.cassandra_aliases()
            if not aliases:
                raise CommandError(
                    "No Cassandra database in DATABASES (ENGINE 'django_cassandra_engine')."
                )
        for alias in aliases:
            self.sync(alias, options.get("verbosity", 1))

    def sync(self, alias: str, verbosity: int) -> None:
        connection = connections[alias]
        keyspace = connection.keyspace
        with connection.schema_editor() as editor:
            if verbosity >= 1:
                self.stdout.write(f"Creating keyspace {keyspace} [CONNECTION {alias}] ..")
            cql = editor.create_keyspace()
            if verbosity >= 2:
                self.stdout.write(f"  {cql}")
            point_default_keyspace()
            for model in models_for_database(alias):
                if verbosity >= 1:
                    table = model.column_family_name(include_keyspace=False)
                    self.stdout.write(f"Syncing {model_label(model)} (table {keyspace}.{table})")
                editor.sync_model(model)
        for table in cache_tables.tables_in(alias):
            if verbosity >= 1:
                self.stdout.write(f"Creating cache table {keyspace}.{table}")
            cache_tables.create_cache_table(alias, table)
