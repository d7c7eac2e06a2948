"""Which database, and so which keyspace and cqlengine connection, a model uses.

In order: ``__connection__`` (a database alias), a ``__keyspace__`` that is some database's
NAME, the database routers (``db_for_read``/``db_for_write``), else the default Cassandra
database. An explicit ``__keyspace__`` wins for the keyspace; while tests run, a live keyspace
name is redirected to its test keyspace.
"""

from __future__ import annotations

from django.apps import apps
from django.db import router

from django_cassandra_engine import utils


def database_for_model(model: type, write: bool = False) -> str | None:
    if model.__connection__:
        return model.__connection__
    if model.__keyspace__:
        alias = utils.alias_for_keyspace(model.__keyspace__)
        if alias is not None:
            return alias
    default = utils.default_cassandra_alias()
    if not apps.ready or not hasattr(model, "_meta"):
        # Routers may import models; they are not consulted while models are being defined.
        return default
    alias = router.db_for_write(model) if write else router.db_for_read(model)
    return alias if utils.is_cassandra(alias) else default


def keyspace_for_model(model: type, alias: str | None = None) -> str | None:
    if model.__keyspace__:
        return utils.resolve_keyspace(model.__keyspace__)
    alias = alias or database_for_model(model)
    if alias is None:
        from cassandra.cqlengine import models as cqlengine_models

        return cqlengine_models.DEFAULT_KEYSPACE
    return utils.keyspace_for(alias)
