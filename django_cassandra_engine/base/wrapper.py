from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.functional import cached_property

from django_cassandra_engine import connection as shared_connections
from django_cassandra_engine.base import database
from django_cassandra_engine.base.client import DatabaseClient
from django_cassandra_engine.base.creation import DatabaseCreation
from django_cassandra_engine.base.cursor import Cursor
from django_cassandra_engine.base.features import DatabaseFeatures
from django_cassandra_engine.base.introspection import DatabaseIntrospection
from django_cassandra_engine.base.operations import DatabaseOperations
from django_cassandra_engine.base.schema import DatabaseSchemaEditor
from django_cassandra_engine.base.validation import DatabaseValidation
from django_cassandra_engine.connection import CassandraConnection, ConnectionSettings
from django_cassandra_engine.errors import DatabaseErrorWrapper


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "cassandra"
    display_name = "Cassandra"
    Database = database

    # Lookups CQL can express, for code that reads this table; queries on DjangoCassandraModel
    # go through cqlengine, not through SQL compilation.
    operators = {
        "exact": "= %s",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "in": "IN %s",
        "contains": "CONTAINS %s",
    }
    data_types: dict[str, str] = {}

    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation
    SchemaEditorClass = DatabaseSchemaEditor

    connection: CassandraConnection | None

    @property
    def config(self) -> ConnectionSettings:
        return ConnectionSettings.from_settings(self.alias, self.settings_dict)

    @property
    def keyspace(self) -> str:
        return self.settings_dict["NAME"]

    def get_connection_params(self) -> dict[str, Any]:
        return {"alias": self.alias}

    def get_new_connection(self, conn_params: dict[str, Any]) -> CassandraConnection:
        return shared_connections.get(conn_params["alias"])

    def ensure_connection(self) -> None:
        # The shared session may have been replaced (after fork, or by a test database swap).
        if self.connection is not None and not self.connection.usable:
            self.connection = None
        super().ensure_connection()

    def init_connection_state(self) -> None:
        pass

    def create_cursor(self, name: str | None = None) -> Cursor:
        return Cursor(self.connection, self.keyspace)

    def make_debug_cursor(self, cursor: Cursor) -> Any:
        # Every request is logged by the driver session's listener (querylog.py), cursors' too.
        return self.make_cursor(cursor)

    def _set_autocommit(self, autocommit: bool) -> None:
        pass

    def is_usable(self) -> bool:
        return self.connection is not None and self.connection.usable

    @cached_property
    def wrap_database_errors(self) -> DatabaseErrorWrapper:
        return DatabaseErrorWrapper(self)

    @property
    def session(self):
        """The driver session of this database (connecting if needed)."""
        self.ensure_connection()
        return self.connection.session

    @property
    def cluster(self):
        self.ensure_connection()
        return self.connection.cluster
