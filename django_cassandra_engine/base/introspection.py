from __future__ import annotations

from django.db.backends.base.introspection import BaseDatabaseIntrospection, FieldInfo, TableInfo


class DatabaseIntrospection(BaseDatabaseIntrospection):
    def _keyspace_metadata(self, keyspace: str | None = None):
        cluster = self.connection.cluster
        keyspace = keyspace or self.connection.keyspace
        cluster.refresh_keyspace_metadata(
            keyspace
        ) if keyspace in cluster.metadata.keyspaces else cluster.refresh_schema_metadata()
        return cluster.metadata.keyspaces.get(keyspace)

    def keyspace_exists(self, keyspace: str) -> bool:
        self.connection.cluster.refresh_schema_metadata()
        return keyspace in self.connection.cluster.metadata.keyspaces

    def get_table_list(self, cursor) -> list[TableInfo]:
        keyspace = self._keyspace_metadata()
        if keyspace is None:
            return []
        tables = [TableInfo(name, "t") for name in sorted(keyspace.tables)]
        return tables + [TableInfo(name, "v") for name in sorted(keyspace.views)]

    def table_names(self, cursor=None, include_views: bool = False) -> list[str]:
        return [t.name for t in self.get_table_list(cursor) if include_views or t.type == "t"]

    def django_table_names(
        self, only_existing: bool = False, include_views: bool = True
    ) -> list[str]:
        """Tables of the DjangoCassandraModel/cqlengine models stored in this database."""
        from django_cassandra_engine.models.discovery import models_for_database

        tables = [
            m.column_family_name(include_keyspace=False).strip('"')
            for m in models_for_database(self.connection.alias)
        ]
        if only_existing:
            existing = set(self.table_names(include_views=include_views))
            tables = [t for t in tables if t in existing]
        return sorted(set(tables))

    def get_table_description(self, cursor, table_name: str) -> list[FieldInfo]:
        table = self._keyspace_metadata().tables[table_name]
        return [
            FieldInfo(
                name,
                column.cql_type,
                None,
                None,
                None,
                None,
                column not in table.primary_key,
                None,
                None,
            )
            for name, column in table.columns.items()
        ]

    def get_sequences(self, cursor, table_name: str, table_fields=()) -> list:
        return []

    def sequence_list(self) -> list:
        return []  # nothing auto-increments

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
        return {}

    def get_primary_key_columns(self, cursor, table_name: str) -> list[str]:
        return [column.name for column in self._keyspace_metadata().tables[table_name].primary_key]

    def get_constraints(self, cursor, table_name: str) -> dict:
        table = self._keyspace_metadata().tables[table_name]
        constraints = {
            "primary": {
                "columns": [c.name for c in table.primary_key],
                "primary_key": True,
                "unique": True,
                "foreign_key": None,
                "check": False,
                "index": False,
            }
        }
        for name, index in table.indexes.items():
            target = index.index_options.get("target", "")
            constraints[name] = {
                "columns": [target.strip('"')],
                "primary_key": False,
                "unique": False,
                "foreign_key": None,
                "check": False,
                "index": True,
            }
        return constraints
