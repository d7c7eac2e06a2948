from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from cassandra.metadata import protect_name
from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.functions.datetime import TruncBase

from django_cassandra_engine import utils
from django_cassandra_engine.orm import baseline, truncation, values, written

TRUNCATE = re.compile(r"^TRUNCATE\s+(\S+)$", re.IGNORECASE)
RESET_SEQUENCE = re.compile(r"^-- reset sequence (\S+)$")


class DatabaseOperations(BaseDatabaseOperations):
    """Values between Django fields and CQL columns (the database domain, see orm/values.py),
    and flushing tables. Queries of Django models are planned by the compilers in
    ``compiler.py``."""

    compiler_module = "django_cassandra_engine.base.compiler"
    explain_prefix = "PLAN"

    # Python values to CQL column values
    def adapt_datefield_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return value.date() if isinstance(value, datetime.datetime) else value

    def adapt_datetimefield_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        return values.to_database_datetime(value)

    def adapt_timefield_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, datetime.datetime):
            value = value.time()
        if value.tzinfo is not None:
            raise ValueError("Cassandra backend does not support timezone-aware times.")
        return value

    def adapt_decimalfield_value(self, value: Any, max_digits=None, decimal_places=None) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value))
        if decimal_places is not None and value.is_finite():
            context = decimal.Context(prec=max_digits) if max_digits else decimal.Context()
            value = value.quantize(decimal.Decimal(1).scaleb(-decimal_places), context=context)
        return value

    def adapt_ipaddressfield_value(self, value: Any) -> Any:
        return value or None

    def adapt_unknown_value(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return self.adapt_datetimefield_value(value)
        return value

    # CQL column values to Python values
    def get_db_converters(self, expression: Any) -> list[Callable]:
        converters = super().get_db_converters(expression)
        field = getattr(expression, "output_field", None)
        if field is None:
            return converters
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            if isinstance(expression, TruncBase):
                # Truncated datetimes are wall-clock time already (TruncBase converts them).
                converters.append(self._convert_truncated)
            else:
                converters.append(self._convert_datetime)
        elif kind == "DateField":
            converters.append(self._convert_date)
        elif kind == "TimeField":
            converters.append(self._convert_time)
        elif kind == "UUIDField":
            converters.append(self._convert_uuid)
        elif kind == "DecimalField":
            converters.append(self._convert_decimal)
        elif kind == "BooleanField":
            converters.append(self._convert_boolean)
        return converters

    @staticmethod
    def _convert_datetime(value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            return values.from_database_datetime(value)
        return value

    @staticmethod
    def _convert_truncated(value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, datetime.datetime) and settings.USE_TZ and value.tzinfo is None:
            return value.replace(tzinfo=values.UTC)
        return value

    @staticmethod
    def _convert_date(value: Any, expression: Any, connection: Any) -> Any:
        value = values.from_driver(value)
        return value.date() if isinstance(value, datetime.datetime) else value

    @staticmethod
    def _convert_time(value: Any, expression: Any, connection: Any) -> Any:
        value = values.from_driver(value)
        return value.time() if isinstance(value, datetime.datetime) else value

    @staticmethod
    def _convert_uuid(value: Any, expression: Any, connection: Any) -> Any:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(str(value))

    @staticmethod
    def _convert_decimal(value: Any, expression: Any, connection: Any) -> Any:
        if value is None or isinstance(value, decimal.Decimal):
            return value
        return decimal.Decimal(str(value))

    @staticmethod
    def _convert_boolean(value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None or isinstance(value, bool) else bool(value)

    def conditional_expression_supported_in_where_clause(self, expression: Any) -> bool:
        return True

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        if format and format.upper() not in self.connection.features.supported_explain_formats:
            raise ValueError(f"{format} is not a recognized format. Allowed formats: TEXT")
        unknown = set(options) - {"analyze"}
        if unknown:
            raise ValueError(f"Unknown options: {', '.join(sorted(unknown))}")
        return self.explain_prefix

    def bulk_batch_size(self, fields: Any, objs: Any) -> int:
        return max(len(objs), 1)

    def max_in_list_size(self) -> None:
        return None

    def no_limit_value(self) -> None:
        return None

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
        from django_cassandra_engine.orm import uniqueness

        tables = list(tables)
        if set(tables) & self.django_model_tables() and uniqueness.TABLE not in tables:
            # The unique values of Django models' rows go with the rows.
            if uniqueness.TABLE in self.connection.introspection.table_names():
                tables.append(uniqueness.TABLE)
        keyspace = self.quote_name(self.connection.keyspace)
        statements = [
            f"{style.SQL_KEYWORD('TRUNCATE')} {keyspace}.{self.quote_name(t)}" for t in tables
        ]
        if reset_sequences:
            # Not CQL: execute_sql_flush restarts each table's AutoField sequence.
            statements += [f"-- reset sequence {t}" for t in tables]
        return statements

    def sequence_reset_by_name_sql(self, style, sequences: list) -> list[str]:
        return [f"-- reset sequence {s['table']}" for s in sequences]

    def execute_sql_flush(self, sql_list: Iterable[str]) -> None:
        session = self.connection.session
        keyspace = self.connection.keyspace
        testing = utils.in_test_run()
        known_empty = self.django_model_tables() if testing else set()
        for cql in sql_list:
            reset = RESET_SEQUENCE.match(_strip_style(cql))
            if reset:
                self._reset_sequence(reset.group(1))
                continue
            match = TRUNCATE.match(_strip_style(cql))
            if match:
                table_keyspace, table = _split_qualified(match.group(1), keyspace)
                if table in known_empty and not written.may_hold_rows(keyspace, table):
                    continue  # a Django model's table this test run has not written
                # (TRUNCATE costs a flush on every node: an empty table gets none.) A test
                # keyspace is emptied even with a node down; a live one is not (deleting every
                # partition of a large table is not what flush means).
                with self.connection.wrap_database_errors:
                    truncation.empty(session, table_keyspace, table, delete_if_replica_down=testing)
                if testing:
                    baseline.restore(self.connection, table)  # even if the test emptied it
                continue
            with self.connection.wrap_database_errors:
                session.execute(_strip_style(cql))
        written.emptied(keyspace)

    def django_model_tables(self) -> set[str]:
        """The tables of Django models in this database, and of their unique values."""
        from django.db.backends.base.introspection import BaseDatabaseIntrospection

        from django_cassandra_engine.orm import uniqueness
        from django_cassandra_engine.orm.tables import cql_name

        names = BaseDatabaseIntrospection.django_table_names(self.connection.introspection)
        return {*(cql_name(n) for n in names), uniqueness.TABLE}

    def _reset_sequence(self, table: str) -> None:
        from django_cassandra_engine.orm import sequences
        from django_cassandra_engine.orm.cql import Session

        if sequences.TABLE in self.connection.introspection.table_names():
            sequences.reset(Session(self.connection), table)

    def prep_for_like_query(self, value: object) -> str:
        return str(value)

    def last_executed_query(self, cursor, sql: str, params) -> str:
        return sql if not params else f"{sql} -- {params!r}"

    def prepare_sql_script(self, sql: str) -> list[str]:
        return [statement.strip() for statement in sql.split(";") if statement.strip()]


def _split_qualified(name: str, default_keyspace: str) -> tuple[str, str]:
    """(keyspace, table) of a possibly qualified, possibly quoted CQL table name."""
    keyspace, _, table = name.rpartition(".")
    return (_unquoted(keyspace) or default_keyspace), _unquoted(table)


def _unquoted(name: str) -> str:
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return name[1:-1].replace('""', '"')
    return name


def _strip_style(cql: str) -> str:
    # sql_flush output goes through the terminal styler, which may add ANSI colour codes.
    return re.sub(r"\x1b\[[0-9;]*m", "", cql)
