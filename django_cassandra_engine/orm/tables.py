"""What the engine knows of a Django model's table: its primary key (the partition key), its
columns, and which columns have secondary indexes. ``indexed_columns`` is the one rule that
both the schema editor (which creates the indexes) and the planner (which uses them) follow."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

# Internal types whose driver values need normalizing (see values.from_driver).
TEMPORAL_TYPES = ("DateField", "TimeField")


def is_django_model(model: Any) -> bool:
    from cassandra.cqlengine.models import BaseModel

    return isinstance(model, type) and not issubclass(model, BaseModel)


def indexed_columns(model: type[models.Model]) -> dict[str, str]:
    """The columns of the model's table that get a secondary index, each with its index
    name: fields with ``db_index`` (foreign keys have it by default), unique fields, the first
    column of each ``Meta.indexes`` entry. The primary key needs none: it is the partition key."""
    meta = model._meta
    pk_columns = set(primary_key_columns(model))
    found: dict[str, str] = {}

    def add(column: str, name: str | None = None) -> None:
        if column not in pk_columns and column not in found:
            found[column] = name or index_name(meta.db_table, column)

    for field in meta.local_concrete_fields:
        if field.db_index or field.unique:
            add(field.column)
    for index in meta.indexes:
        if index.fields:
            name = index.fields[0].lstrip("-")
            add(meta.get_field(name).column, _valid_index_name(index.name))
    for fields in getattr(meta, "index_together", ()) or ():
        add(meta.get_field(fields[0]).column)
    return found


CQL_NAME = re.compile(r"[A-Za-z0-9_]{1,48}")


def cql_name(name: str) -> str:
    """A table or index name as CQL allows it: letters, digits and underscores, at most 48
    (the limit of Cassandra before 5.0, ScyllaDB and cqld; Cassandra 5.0 allows 222). Other
    names (``db_table = "héllo"``) become a readable form with a hash of the original."""
    if CQL_NAME.fullmatch(name):
        return name
    from django.db.backends.utils import names_digest

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    readable = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_name).strip("_") or "t"
    return f"{readable[:39]}_{names_digest(name, length=8)}"


def index_name(table: str, column: str) -> str:
    """``<table>_<column>_idx``, shortened with a hash to CQL's 48 characters if needed."""
    from django.db.backends.utils import names_digest

    name = cql_name(f"{table}_{column}_idx")
    if len(name) <= 48:
        return name
    digest = names_digest(table, column, length=8)
    return cql_name(f"{table[:20]}_{column[:15]}_{digest}_idx"[:48])


def _valid_index_name(name: str | None) -> str | None:
    if not name:
        return None
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return cleaned[:48]


def primary_key_columns(model: type[models.Model]) -> list[str]:
    pk = model._meta.pk
    fields = getattr(pk, "fields", None)  # Django 5.2's CompositePrimaryKey
    if fields:
        return [field.column for field in fields]
    return [pk.column]


@dataclass(frozen=True)
class TableInfo:
    model: type[models.Model]
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key columns, the partition key
    indexes: dict[str, str]  # indexed column -> index name
    temporal: tuple[str, ...]  # columns whose driver values are normalized
    types: dict[str, str]  # column -> Django internal type

    @property
    def single_key(self) -> str | None:
        return self.key[0] if len(self.key) == 1 else None

    def can_lookup(self, column: str) -> str | None:
        """How CQL can find rows by equality on ``column``: 'key', 'index' or None."""
        if self.single_key == column:
            return "key"
        if column in self.indexes:
            return "index"
        return None


def field_wants_index(model: type[models.Model], field: Any) -> bool:
    """Whether the field's column gets a secondary index (see indexed_columns)."""
    if field.primary_key:
        return False
    if field.db_index or field.unique:
        return True
    return any(
        index.fields and index.fields[0].lstrip("-") == field.name for index in model._meta.indexes
    )


_cache_lock = threading.Lock()
_cache: dict[type, tuple[Any, Any, TableInfo]] = {}
_CACHE_MAX = 4096  # migrations make many historical model classes


def _table_info(model: type[models.Model]) -> TableInfo:
    # Options recomputes local_concrete_fields when a field is added (Options._expire_cache),
    # so the list's identity says whether what is cached still describes the model. The list
    # is kept with the entry, so its id cannot be reused meanwhile.
    meta = model._meta
    fields, indexes = meta.local_concrete_fields, meta.indexes
    entry = _cache.get(model)
    if entry is not None and entry[0] is fields and entry[1] is indexes:
        return entry[2]
    info = _build_table_info(model)
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[model] = (fields, indexes, info)
    return info


def _build_table_info(model: type[models.Model]) -> TableInfo:
    meta = model._meta
    fields = list(meta.local_concrete_fields)
    return TableInfo(
        model=model,
        name=cql_name(meta.db_table),
        columns=tuple(f.column for f in fields),
        key=tuple(primary_key_columns(model)),
        indexes=indexed_columns(model),
        temporal=tuple(f.column for f in fields if f.get_internal_type() in TEMPORAL_TYPES),
        types={f.column: f.get_internal_type() for f in fields},
    )


def table_info(model: type[models.Model]) -> TableInfo:
    return _table_info(model._meta.concrete_model)


def model_for_table(table: str, hint: Any = None) -> type[models.Model]:
    """The model whose table this is: the hint's (a model or a join's field), else the first
    installed model with that ``db_table``."""
    candidate = getattr(hint, "related_model", hint)
    if isinstance(candidate, type) and getattr(candidate, "_meta", None) is not None:
        if candidate._meta.db_table == table:
            return candidate._meta.concrete_model
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table and is_django_model(model):
            return model._meta.concrete_model
    raise LookupError(f"No Django model stores its rows in the table {table!r}.")


def forget_tables() -> None:
    """Drops what is known of the tables (after a migration changes models)."""
    with _cache_lock:
        _cache.clear()
