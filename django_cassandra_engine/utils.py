"""Which Django databases are Cassandra databases, and which keyspace each one uses; the
original package's helpers (``get_cassandra_connections``, ``get_cql_models``, ...)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.utils import CursorWrapper as DjangoCursorWrapper

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


# The original package's helpers, with its names and results.
class CursorWrapper(DjangoCursorWrapper):
    """Django's cursor wrapper (driver errors raised as Django errors) around a Cursor."""


def get_installed_apps() -> list[ModuleType]:
    """The models modules of the installed apps."""
    from django.apps import apps

    return [a.models_module for a in apps.get_app_configs() if a.models_module is not None]


def get_cql_models(
    app: ModuleType, connection: str | None = None, keyspace: str | None = None
) -> list[type]:
    """The cqlengine models (DjangoCassandraModel or plain) defined in a models module that
    are stored in database ``connection`` (default: the default Cassandra database), or whose
    ``__keyspace__`` is ``keyspace``."""
    from cassandra.cqlengine.models import Model

    from django_cassandra_engine.models.discovery import database_of

    alias = connection or default_cassandra_alias()
    return [
        obj
        for _, obj in inspect.getmembers(app, inspect.isclass)
        if issubclass(obj, Model)
        and not obj.__abstract__
        and (database_of(obj) == alias or (keyspace is not None and obj.__keyspace__ == keyspace))
    ]


def get_cassandra_connections() -> Iterator[tuple[str, Any]]:
    """``(alias, DatabaseWrapper)`` for each Cassandra database."""
    for alias in cassandra_aliases():
        yield alias, connections[alias]


def get_default_cassandra_connection() -> tuple[str, Any]:
    alias = default_cassandra_alias()
    return alias, connections[alias]


def get_cassandra_connection(alias: str | None = None, name: str | None = None) -> Any:
    """The DatabaseWrapper of the Cassandra database with this alias, or this keyspace NAME,
    or (with neither) the first one."""
    for candidate, connection in get_cassandra_connections():
        if alias is not None:
            if alias == candidate:
                return connection
        elif name is not None:
            if name == connection.settings_dict["NAME"]:
                return connection
        else:
            return connection
    return None


def get_cassandra_db_aliases() -> Iterator[str]:
    yield from cassandra_aliases()


def get_cassandra_db_alias() -> str:
    return next(get_cassandra_db_aliases())


def get_engine_from_db_alias(db_alias: str) -> str | None:
    """The ENGINE of a DATABASES entry, or None if there is no such alias."""
    return settings.DATABASES.get(db_alias, {}).get("ENGINE", None)
