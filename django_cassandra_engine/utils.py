"""Which Django databases are Cassandra databases, and which keyspace each one uses."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

from django_cassandra_engine import ENGINE

# Live keyspace name -> alias, for databases whose NAME a test run has swapped for a test
# keyspace. Models bound to a live keyspace by ``__keyspace__`` follow their database there.
_swapped_for_tests: dict[str, str] = {}


def is_cassandra(alias: str) -> bool:
    return settings.DATABASES.get(alias, {}).get("ENGINE") == ENGINE


def cassandra_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if is_cassandra(alias)]


def default_cassandra_alias() -> str | None:
    """The database cqlengine uses when a model names none: one marked
    ``OPTIONS['connection']['default']``, else ``'default'``, else the first Cassandra database."""
    aliases = cassandra_aliases()
    for alias in aliases:
        options = settings.DATABASES[alias].get("OPTIONS") or {}
        if (options.get("connection") or {}).get("default"):
            return alias
    if "default" in aliases:
        return "default"
    return aliases[0] if aliases else None


def keyspace_for(alias: str) -> str:
    """The keyspace the database uses now (its test keyspace while tests run)."""
    return connections[alias].settings_dict["NAME"]


def resolve_keyspace(keyspace: str) -> str:
    """An explicit keyspace, redirected to the test keyspace if it is a database's live one."""
    alias = _swapped_for_tests.get(keyspace)
    return keyspace_for(alias) if alias is not None else keyspace


def alias_for_keyspace(keyspace: str) -> str | None:
    """The Cassandra database whose (live or test) keyspace this is."""
    if keyspace in _swapped_for_tests:
        return _swapped_for_tests[keyspace]
    for alias in cassandra_aliases():
        if keyspace_for(alias) == keyspace:
            return alias
    return None


def mark_swapped_for_tests(live_name: str, alias: str) -> None:
    _swapped_for_tests[live_name] = alias


def unmark_swapped_for_tests(live_name: str) -> None:
    _swapped_for_tests.pop(live_name, None)
