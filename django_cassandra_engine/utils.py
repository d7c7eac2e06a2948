"""Which Django databases are Cassandra databases, and which keyspace each one uses."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

from django_cassandra_engine import ENGINE

# Alias -> live keyspace (its NAME outside tests), for each database a test run has given a
# test keyspace. Models declared with a database's live keyspace follow it to the test one.
_test_databases: dict[str, str] = {}


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


def alias_for_keyspace(keyspace: str) -> str | None:
    """The Cassandra database whose (live or test) keyspace this is."""
    for alias, live_name in _test_databases.items():
        if live_name == keyspace:
            return alias
    for alias in cassandra_aliases():
        if keyspace_for(alias) == keyspace:
            return alias
    return None


# Test runs
def start_test_keyspace(alias: str, live_name: str) -> None:
    _test_databases[alias] = live_name


def end_test_keyspace(alias: str) -> None:
    _test_databases.pop(alias, None)


def has_test_keyspace(alias: str) -> bool:
    return alias in _test_databases


def in_test_run() -> bool:
    """True while tests run: a test database exists, or Django's test environment is set up
    (``setup_test_environment``, done by ``manage.py test`` and pytest-django)."""
    from django.test import utils as test_utils

    return bool(_test_databases) or hasattr(test_utils._TestState, "saved_data")
