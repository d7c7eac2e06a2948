"""The cqlengine models (DjangoCassandraModel or plain) that installed apps store in a database."""

from __future__ import annotations

import inspect

from cassandra.cqlengine.models import Model
from django.apps import apps
from django.db import router

from django_cassandra_engine import utils
from django_cassandra_engine.models.routing import database_for_model


def installed_cql_models() -> list[type[Model]]:
    found: dict[type, None] = {}
    for app_config in apps.get_app_configs():
        if app_config.models_module is None:
            continue
        for _, obj in inspect.getmembers(app_config.models_module, inspect.isclass):
            if issubclass(obj, Model) and not obj.__abstract__:
                found.setdefault(obj)
    return sorted(found, key=lambda m: (m.__module__, m.__name__))


def _plain_model_database(model: type[Model]) -> str | None:
    if model.__connection__:
        return model.__connection__
    if model.__keyspace__:
        alias = utils.alias_for_keyspace(model.__keyspace__)
        if alias is not None:
            return alias
    return utils.default_cassandra_alias()


def database_of(model: type[Model]) -> str | None:
    if hasattr(model, "_meta"):
        return database_for_model(model, write=True)
    return _plain_model_database(model)


def models_for_database(alias: str) -> list[type[Model]]:
    selected = []
    for model in installed_cql_models():
        if database_of(model) != alias:
            continue
        meta = getattr(model, "_meta", None)
        if (
            meta is not None
            and router.allow_migrate(alias, meta.app_label, model_name=meta.model_name, model=model)
            is False
        ):
            continue
        selected.append(model)
    return selected
