from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
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
from django_cassandra_engine.errors import DatabaseErrorWrapper
from django_cassandra_engine.utils import CursorWrapper

if TYPE_CHECKING:
    # connection.py imports this package (its Cursor), so it may be half-imported here: the
    # names are read from the module when used.
    from django_cassandra_engine.connection import CassandraConnection, ConnectionSettings


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "cassandra"
    display_name = "Cassandra"
    Database = database

    # Lookups CQL can express, for code that reads this table; queries on DjangoCassandraModel
    # go through cqlengine, queries on Django models through the compilers (compiler.py).
    operators = {
        "exact": "= %s",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "in": "IN %s",
        "contains": "CONTAINS %s",
    }
    # CQL column types of Django fields. Durations are microseconds (CQL's duration type can be
    # neither compared nor ordered); IP addresses are text, as Django gives them.
    data_types: dict[str, str] = {
        "AutoField": "int",
        "BigAutoField": "bigint",
        "SmallAutoField": "smallint",
        "BinaryField": "blob",
        "BooleanField": "boolean",
        "CharField": "text",
        "DateField": "date",
        "DateTimeField": "timestamp",
        "DecimalField": "decimal",
        "DurationField": "bigint",
        "FileField": "text",
        "FilePathField": "text",
        "FloatField": "double",
        "IntegerField": "int",
        "BigIntegerField": "bigint",
        "IPAddressField": "text",
        "GenericIPAddressField": "text",
        "PositiveBigIntegerField": "bigint",
        "PositiveIntegerField": "int",
        "PositiveSmallIntegerField": "smallint",
        "SlugField": "text",
        "SmallIntegerField": "smallint",
        "TextField": "text",
        "TimeField": "time",
        "UUIDField": "uuid",
    }
    data_types_suffix: dict[str, str] = {}
    data_type_check_constraints: dict[str, str] = {}

    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation
    SchemaEditorClass = DatabaseSchemaEditor

    @property
    def connection(self) -> CassandraConnection:
        """This database's CassandraConnection. It is never None, as in the original package:
        making one costs nothing (it connects on first use), and after a fork or a test
        database swap a fresh one replaces the stale one."""
        handle = self.__dict__.get("_handle")
        if handle is None or not handle.usable:
            handle = self.__dict__["_handle"] = shared_connections.get(self.alias)
        return handle

    @connection.setter
    def connection(self, value: CassandraConnection | None) -> None:
        self.__dict__["_handle"] = value

    @property
    def config(self) -> ConnectionSettings:
        return shared_connections.ConnectionSettings.from_settings(self.alias, self.settings_dict)

    @property
    def keyspace(self) -> str:
        return self.settings_dict["NAME"]

    def get_connection_params(self) -> dict[str, Any]:
        return {"alias": self.alias}

    def get_new_connection(self, conn_params: dict[str, Any]) -> CassandraConnection:
        return shared_connections.get(conn_params["alias"])

    def connect(self) -> None:
        """Connects now (queries connect by themselves when needed)."""
        self.connection.connect()
        connection_created.send(sender=self.__class__, connection=self)

    @property
    def connected(self) -> bool:
        return self.connection.connected

    def reconnect(self) -> None:
        """Closes the driver connection and connects again with the current settings."""
        self.connection.unregister()
        shared_connections.reset(self.alias)
        self.connection = None
        self.connect()

    def init_connection_state(self) -> None:
        pass

    def create_cursor(self, name: str | None = None) -> Cursor:
        return Cursor(self.connection)

    def make_cursor(self, cursor: Cursor) -> CursorWrapper:
        return CursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Cursor) -> Any:
        # Every request is logged by the driver session's listener (querylog.py), cursors' too.
        return self.make_cursor(cursor)

    def _set_autocommit(self, autocommit: bool) -> None:
        pass

    def is_usable(self) -> bool:
        return self.connection.usable

    @cached_property
    def wrap_database_errors(self) -> DatabaseErrorWrapper:
        return DatabaseErrorWrapper(self)

    @property
    def session(self):
        """The driver session of this database (connecting if needed)."""
        return self.connection.session

    @property
    def cluster(self):
        return self.connection.cluster
