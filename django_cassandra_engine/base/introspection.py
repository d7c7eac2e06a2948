"""What a keyspace holds, read from ``system_schema`` (so it works with the driver's schema
metadata turned off)."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.introspection import BaseDatabaseIntrospection, FieldInfo, TableInfo

# CQL types back to Django fields (inspectdb, get_field_type).
DATA_TYPES_REVERSE = {
    "ascii": "TextField",
    "bigint": "BigIntegerField",
    "blob": "BinaryField",
    "boolean": "BooleanField",
    "date": "DateField",
    "decimal": "DecimalField",
    "double": "FloatField",
    "float": "FloatField",
    "inet": "GenericIPAddressField",
    "int": "IntegerField",
    "smallint": "SmallIntegerField",
    "text": "TextField",
    "time": "TimeField",
    "timestamp": "DateTimeField",
    "timeuuid": "UUIDField",
    "tinyint": "SmallIntegerField",
    "uuid": "UUIDField",
    "varchar": "TextField",
    "varint": "BigIntegerField",
}


def _rows(result: Any) -> list[dict[str, Any]]:
    names = list(result.column_names or ())
    return [row if isinstance(row, dict) else dict(zip(names, row, strict=True)) for row in result]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    data_types_reverse = DATA_TYPES_REVERSE

    def _system(self, cql: str, *params: Any) -> list[dict[str, Any]]:
        from django_cassandra_engine.errors import django_errors

        with django_errors():
            return _rows(self.connection.session.execute(cql, params))

    def _keyspace_metadata(self, keyspace: str | None = None):
        cluster = self.connection.cluster
        keyspace = keyspace or self.connection.keyspace
        cluster.refresh_keyspace_metadata(
            keyspace
        ) if keyspace in cluster.metadata.keyspaces else cluster.refresh_schema_metadata()
        return cluster.metadata.keyspaces.get(keyspace)

    def keyspace_exists(self, keyspace: str) -> bool:
        rows = self._system(
            "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = %s", keyspace
        )
        return bool(rows)

    def get_table_list(self, cursor=None) -> list[TableInfo]:
        keyspace = self.connection.keyspace
        tables = self._system(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s", keyspace
        )
        views = self._system(
            "SELECT view_name FROM system_schema.views WHERE keyspace_name = %s", keyspace
        )
        found = [TableInfo(r["table_name"], "t") for r in tables]
        found += [TableInfo(r["view_name"], "v") for r in views]
        return sorted(found, key=lambda t: t.name)

    def table_names(self, cursor=None, include_views: bool = False) -> list[str]:
        return [t.name for t in self.get_table_list(cursor) if include_views or t.type == "t"]

    def django_table_names(
        self, only_existing: bool = False, include_views: bool = True
    ) -> list[str]:
        """Tables of this database's models: Django models (migrated), DjangoCassandraModel and
        cqlengine models (synced)."""
        from django_cassandra_engine.models.discovery import models_for_database
        from django_cassandra_engine.orm.tables import cql_name

        tables = {
            cql_name(t)
            for t in super().django_table_names(only_existing=False, include_views=include_views)
        }
        tables.update(
            m.column_family_name(include_keyspace=False).strip('"')
            for m in models_for_database(self.connection.alias)
        )
        if only_existing:
            existing = set(self.table_names(include_views=include_views))
            tables = {t for t in tables if t in existing}
        return sorted(tables)

    def _columns(self, table_name: str) -> list[dict[str, Any]]:
        return self._system(
            "SELECT column_name, kind, position, type FROM system_schema.columns "
            "WHERE keyspace_name = %s AND table_name = %s",
            self.connection.keyspace,
            table_name,
        )

    def get_table_description(self, cursor, table_name: str) -> list[FieldInfo]:
        return [
            FieldInfo(
                column["column_name"],
                column["type"],
                None,
                None,
                None,
                None,
                column["kind"] == "regular",
                None,
                None,
            )
            for column in self._columns(table_name)
        ]

    def get_field_type(self, data_type: str, description: Any) -> str:
        return self.data_types_reverse.get(data_type, "TextField")

    def get_sequences(self, cursor, table_name: str, table_fields=()) -> list:
        for field in table_fields:
            if field.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
                return [{"table": table_name, "column": field.column}]
        return []

    def sequence_list(self) -> list:
        return []

    @property
    def cql_models(self) -> dict[str, list[type]]:
        """The cqlengine models stored in this database, by models module name (as the
        original package's introspection gave them)."""
        from django_cassandra_engine.models.discovery import models_for_database

        by_module: dict[str, list[type]] = {}
        for model in models_for_database(self.connection.alias):
            by_module.setdefault(model.__module__, []).append(model)
        return by_module

    def get_relations(self, cursor, table_name: str) -> dict:
        return {}  # CQL has no foreign keys

    def get_primary_key_columns(self, cursor, table_name: str) -> list[str]:
        key = [c for c in self._columns(table_name) if c["kind"] in ("partition_key", "clustering")]
        key.sort(key=lambda c: (c["kind"] != "partition_key", c["position"]))
        return [c["column_name"] for c in key]

    def get_indexes(self, table_name: str) -> dict[str, str]:
        """The table's secondary indexes: name -> the column each indexes."""
        rows = self._system(
            "SELECT index_name, options FROM system_schema.indexes "
            "WHERE keyspace_name = %s AND table_name = %s",
            self.connection.keyspace,
            table_name,
        )
        indexes = {}
        for row in rows:
            target = (row["options"] or {}).get("target", "")
            indexes[row["index_name"]] = target.strip('"')
        return indexes

    def get_constraints(self, cursor, table_name: str) -> dict:
        constraints = {
            "primary": {
                "columns": self.get_primary_key_columns(cursor, table_name),
                "primary_key": True,
                "unique": True,
                "foreign_key": None,
                "check": False,
                "index": False,
                "type": "idx",
                "orders": [],
            }
        }
        for name, column in self.get_indexes(table_name).items():
            constraints[name] = {
                "columns": [column],
                "primary_key": False,
                "unique": False,
                "foreign_key": None,
                "check": False,
                "index": True,
                "type": "idx",
                "orders": [],
            }
        return constraints
