from __future__ import annotations

import re
from collections.abc import Iterable

from cassandra import ConsistencyLevel
from cassandra.metadata import protect_name
from cassandra.query import SimpleStatement
from django.db.backends.base.operations import BaseDatabaseOperations

TRUNCATE = re.compile(r"^TRUNCATE\s+(\S+)$", re.IGNORECASE)


class DatabaseOperations(BaseDatabaseOperations):
    compiler_module = "django_cassandra_engine.base.compiler"

    def quote_name(self, name: str) -> str:
        return protect_name(name)

    def max_name_length(self) -> int:
        return 48

    def pk_default_value(self) -> None:
        return None

    def sql_flush(
        self,
        style,
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        keyspace = self.quote_name(self.connection.keyspace)
        return [f"{style.SQL_KEYWORD('TRUNCATE')} {keyspace}.{self.quote_name(t)}" for t in tables]

    def execute_sql_flush(self, sql_list: Iterable[str]) -> None:
        session = self.connection.session
        for cql in sql_list:
            match = TRUNCATE.match(_strip_style(cql))
            if match and self._is_empty(session, match.group(1)):
                continue  # TRUNCATE costs a flush on every node; an empty table needs none
            with self.connection.wrap_database_errors:
                session.execute(_strip_style(cql))

    @staticmethod
    def _is_empty(session, table: str) -> bool:
        # Read at ALL so a replica holding rows is never missed; any failure means "truncate".
        probe = SimpleStatement(
            f"SELECT * FROM {table} LIMIT 1", consistency_level=ConsistencyLevel.ALL
        )
        try:
            return not list(session.execute(probe))
        except Exception:
            return False

    def prep_for_like_query(self, value: object) -> str:
        return str(value)

    def last_executed_query(self, cursor, sql: str, params) -> str:
        return sql if not params else f"{sql} -- {params!r}"

    def prepare_sql_script(self, sql: str) -> list[str]:
        return [statement.strip() for statement in sql.split(";") if statement.strip()]


def _strip_style(cql: str) -> str:
    # sql_flush output goes through the terminal styler, which may add ANSI colour codes.
    return re.sub(r"\x1b\[[0-9;]*m", "", cql)
