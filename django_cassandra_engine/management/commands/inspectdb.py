"""``inspectdb`` for a Cassandra database prints DjangoCassandraModel code for its tables."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator

from django.core.management.commands.inspectdb import Command as InspectDbCommand
from django.db import connections

from django_cassandra_engine import utils

SIMPLE_TYPES = {
    "text": "Text",
    "varchar": "Text",
    "ascii": "Ascii",
    "int": "Integer",
    "bigint": "BigInt",
    "smallint": "SmallInt",
    "tinyint": "TinyInt",
    "varint": "VarInt",
    "counter": "Counter",
    "float": "Float",
    "double": "Double",
    "decimal": "Decimal",
    "boolean": "Boolean",
    "uuid": "UUID",
    "timeuuid": "TimeUUID",
    "timestamp": "DateTime",
    "date": "Date",
    "time": "Time",
    "duration": "Duration",
    "blob": "Blob",
    "inet": "Inet",
}
COLLECTIONS = {"list": "List", "set": "Set", "map": "Map", "tuple": "Tuple"}


def class_name(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9a-zA-Z]+", name) if part)


def _split_arguments(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char == "<"
        depth -= char == ">"
        if char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def column_type(cql_type: str, user_types: set[str]) -> str:
    """``columns.X(...)`` code for a CQL type as system_schema spells it."""
    cql_type = cql_type.strip()
    name, _, rest = cql_type.partition("<")
    name = name.strip().lower()
    arguments = _split_arguments(rest[:-1]) if rest else []
    if name == "frozen":
        return column_type(arguments[0], user_types)
    if name in COLLECTIONS:
        inner = ", ".join(column_type(a, user_types) for a in arguments)
        return f"columns.{COLLECTIONS[name]}({inner})"
    if name in SIMPLE_TYPES:
        return f"columns.{SIMPLE_TYPES[name]}"
    if cql_type.strip('"') in user_types:
        return f"columns.UserDefinedType({class_name(cql_type.strip(chr(34)))})"
    raise ValueError(f"unsupported CQL type {cql_type}")


def _column_call(type_code: str, arguments: list[str]) -> str:
    if type_code.endswith(")"):  # a collection or user type: add the keyword arguments
        head = type_code[:-1]
        separator = ", " if not head.endswith("(") else ""
        return f"{head}{separator}{', '.join(arguments)})" if arguments else type_code
    return f"{type_code}({', '.join(arguments)})"


def attribute_name(column: str) -> tuple[str, str | None]:
    """A Python attribute for a column, and the db_field when they differ."""
    name = re.sub(r"\W", "_", column)
    if keyword.iskeyword(name) or not name or name[0].isdigit():
        name = f"{name}_field"
    return name, (None if name == column else column)


class Command(InspectDbCommand):
    help = (
        "Prints DjangoCassandraModel code for the tables of a Cassandra database's keyspace "
        "(other databases: Django's inspectdb)."
    )

    def handle(self, **options):
        if not utils.is_cassandra(options["database"]):
            return super().handle(**options)
        for line in self.cassandra_models(options["database"], options.get("table") or []):
            self.stdout.write(line)

    def cassandra_models(self, alias: str, only: list[str]) -> Iterator[str]:
        connection = connections[alias]
        cluster = connection.cluster
        cluster.refresh_schema_metadata()
        keyspace = cluster.metadata.keyspaces.get(connection.keyspace)
        if keyspace is None:
            yield f"# Keyspace '{connection.keyspace}' does not exist."
            return
        user_types = set(keyspace.user_types)
        yield f"# Models for the tables of keyspace '{keyspace.name}' (database '{alias}')."
        yield "# Review before use: Django-only details (field_options, get_pk_field) are not"
        yield "# stored in Cassandra."
        yield "from cassandra.cqlengine import columns"
        if user_types:
            yield "from cassandra.cqlengine.usertype import UserType"
        yield ""
        yield "from django_cassandra_engine.models import DjangoCassandraModel"
        for name in sorted(user_types):
            user_type = keyspace.user_types[name]
            yield ""
            yield ""
            yield f"class {class_name(name)}(UserType):"
            yield f'    __type_name__ = "{name}"'
            yield ""
            for field, cql_type in zip(user_type.field_names, user_type.field_types, strict=True):
                attribute, db_field = attribute_name(field)
                arguments = [f'db_field="{db_field}"'] if db_field else []
                code = _column_call(column_type(cql_type, user_types), arguments)
                yield f"    {attribute} = {code}"
        for table_name in sorted(keyspace.tables):
            if only and table_name not in only:
                continue
            yield ""
            yield ""
            yield from self.table_model(keyspace.tables[table_name], user_types)

    def table_model(self, table, user_types: set[str]) -> Iterator[str]:
        indexed = {
            index.index_options.get("target", "").strip('"') for index in table.indexes.values()
        }
        partition = [c.name for c in table.partition_key]
        clustering = {c.name: c for c in table.clustering_key}
        yield f"class {class_name(table.name)}(DjangoCassandraModel):"
        yield f'    __table_name__ = "{table.name}"'
        yield ""
        ordered = (
            partition
            + list(clustering)
            + [name for name in table.columns if name not in partition and name not in clustering]
        )
        for name in ordered:
            column = table.columns[name]
            arguments = []
            if name in partition:
                arguments.append("partition_key=True")
            elif name in clustering:
                arguments.append("primary_key=True")
                if column.is_reversed:
                    arguments.append('clustering_order="DESC"')
            if column.is_static:
                arguments.append("static=True")
            if name in indexed:
                arguments.append("index=True")
            attribute, db_field = attribute_name(name)
            if db_field:
                arguments.append(f'db_field="{db_field}"')
            try:
                code = _column_call(column_type(column.cql_type, user_types), arguments)
            except ValueError as exc:
                yield f"    # {name}: {exc}"
                continue
            yield f"    {attribute} = {code}"
