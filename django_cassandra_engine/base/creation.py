"""Test keyspaces.

Django's ``create_test_db`` swaps the database NAME for the test keyspace (created here) and
runs ``migrate``: the migrations of Django models, then the sync of cqlengine models (see the
migrate command). On the embedded default, the test run gets an
in-memory cqld of its own, stopped when the run ends.
"""

from __future__ import annotations

import sys

from django.db.backends.base.creation import BaseDatabaseCreation

from django_cassandra_engine import connection as shared_connections
from django_cassandra_engine import embedded, utils


class DatabaseCreation(BaseDatabaseCreation):
    _uses_test_server = False

    def _get_test_db_name(self) -> str:
        settings_dict = self.connection.settings_dict
        test_name = (settings_dict.get("TEST") or {}).get("NAME") or settings_dict.get("TEST_NAME")
        return test_name or "test_" + settings_dict["NAME"]

    def _use_test_server(self) -> None:
        if self.connection.config.is_embedded and not self._uses_test_server:
            embedded.test_server.acquire(
                self.connection.config.embedded_args, self.connection.config.embedded_auth
            )
            self._uses_test_server = True
            self._reconnect()

    def _reconnect(self) -> None:
        self.connection.close()
        self.connection.connection = None
        shared_connections.reset(self.connection.alias)

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool = False) -> str:
        test_name = self._get_test_db_name()
        utils.start_test_keyspace(self.connection.alias, self.connection.settings_dict["NAME"])
        self._use_test_server()
        if keepdb or not self.connection.introspection.keyspace_exists(test_name):
            self._create_keyspace(test_name)
            return test_name
        if not autoclobber:
            confirm = input(
                f"Type 'yes' if you would like to try deleting the test keyspace '{test_name}', "
                "or 'no' to cancel: "
            )
            if confirm != "yes":
                self.log("Tests cancelled.")
                sys.exit(1)
        if verbosity >= 1:
            shown = self._get_database_display_str(verbosity, test_name)
            self.log(f"Destroying old test keyspace for alias {shown}...")
        with self.connection.schema_editor() as editor:
            editor.drop_keyspace(test_name)
        self._create_keyspace(test_name)
        return test_name

    def _create_keyspace(self, name: str) -> None:
        # migrate needs the keyspace for its django_migrations table before anything else.
        with self.connection.schema_editor() as editor:
            editor.create_keyspace(name)

    def create_test_db(self, *args, **kwargs) -> str:
        name = super().create_test_db(*args, **kwargs)
        self._keep_baseline()
        return name

    def _keep_baseline(self) -> None:
        """The rows migrate wrote (content types, permissions...), which flush restores
        between tests (orm/baseline.py)."""
        from django_cassandra_engine.orm import baseline, written

        baseline.take(self.connection, self.connection.ops.django_model_tables())
        written.emptied(self.connection.keyspace)

    def setup_worker_connection(self, _worker_id: int) -> None:
        # A parallel test worker started by spawn (not fork) begins with no record of the test
        # keyspaces. The name recorded matters only for models that declare it.
        utils.start_test_keyspace(self.connection.alias, self.connection.settings_dict["NAME"])
        super().setup_worker_connection(_worker_id)

    def _clone_test_db(self, suffix: str, verbosity: int, keepdb: bool = False) -> None:
        """A keyspace of its own for one parallel test worker: a copy of the test keyspace's
        tables, indexes and rows (migration records, content types, permissions)."""
        from django_cassandra_engine.base.cloning import clone_keyspace

        clone_name = self.get_test_db_clone_settings(suffix)["NAME"]
        with self.connection.schema_editor() as editor:
            if not keepdb:
                editor.drop_keyspace(clone_name)
            editor.create_keyspace(clone_name)
        clone_keyspace(self.connection, self.connection.settings_dict["NAME"], clone_name)

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        with self.connection.schema_editor() as editor:
            editor.drop_keyspace(test_database_name)
        is_main = test_database_name == self.connection.settings_dict["NAME"]
        if is_main:
            from django_cassandra_engine.orm import baseline

            baseline.forget(self.connection.alias)
            utils.end_test_keyspace(self.connection.alias)
            if self._uses_test_server:
                self._reconnect()
                embedded.test_server.release()
                self._uses_test_server = False

    def serialize_db_to_string(self) -> str:
        # Cassandra tables are emptied between tests by truncation, never restored from a
        # serialized copy (serialized_rollback is a transactional-database feature).
        return ""

    def deserialize_db_from_string(self, data: str) -> None:
        pass
