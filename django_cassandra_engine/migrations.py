"""Keeping Cassandra models out of Django migrations (their tables are synced, not migrated)."""

from __future__ import annotations

from typing import Any

from cassandra.cqlengine.models import BaseModel
from django.apps import apps
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.state import ProjectState


def is_cassandra_model(app_label: str, model_name: str) -> bool:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return issubclass(model, BaseModel)


def _without_cassandra(state: ProjectState) -> ProjectState:
    for key in [key for key in state.models if is_cassandra_model(*key)]:
        del state.models[key]
    return state


class WithoutCassandraModels(MigrationAutodetector):
    """The autodetector, comparing project states with the Cassandra models removed."""

    def __init__(
        self, from_state: ProjectState, to_state: ProjectState, questioner: Any = None
    ) -> None:
        super().__init__(_without_cassandra(from_state), _without_cassandra(to_state), questioner)


def without_cassandra_operations(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    kept: dict[str, list[Any]] = {}
    for app_label, migrations in changes.items():
        for migration in migrations:
            migration.operations = [
                op
                for op in migration.operations
                if not is_cassandra_model(
                    app_label,
                    getattr(op, "name_lower", None) or getattr(op, "model_name_lower", ""),
                )
            ]
        migrations = [m for m in migrations if m.operations]
        if migrations:
            kept[app_label] = migrations
    return kept
