"""How the admin names a row of a model whose primary key has several columns.

Admin URLs, the action checkboxes, the delete confirmation and the admin's log name a row by
``obj.pk``, one value. For a composite primary key that value is the **row key**: every primary
key column's value as text (partition key first, then clustering columns), joined by commas, a
comma or backslash inside a value escaped with a backslash. Django's admin quotes it for the URL
(``,`` becomes ``_2C``), so ``Reading(sensor="s1", taken_at=...)`` is edited at
``/admin/app/reading/s1_2C2024-05-01T12_3A00_3A00/change/``.

``obj.pk`` of the model itself keeps its meaning (``Meta.get_pk_field``, as in the original
package); only the admin sees row keys, through ``admin_model(model)``, a subclass of the model
whose ``pk`` is the row key, and ``admin_queryset(model)``, whose ``pk`` lookups take them.
"""

from __future__ import annotations

import copy
import datetime
import functools
from typing import Any

from cassandra.cqlengine.models import _clone_model_class
from django.utils import timezone

from django_cassandra_engine.models.queryset import ReadOnlyDjangoCassandraQuerySet

SEPARATOR = ","
ESCAPE = "\\"
# The lookups by which Django's admin finds rows by their ``pk``.
PK_LOOKUPS = ("pk", "pk__exact", "pk__in")


def is_composite(model: type) -> bool:
    return len(model._primary_keys) > 1


def key_fields(model: type) -> list[Any]:
    """The primary key columns' Django fields: partition key first, then clustering columns."""
    return [model._meta.get_field(name) for name in model._primary_keys]


def row_key(obj: Any) -> str:
    """The text naming ``obj`` among the rows of its table."""
    parts = (_key_text(field, obj) for field in key_fields(type(obj)))
    return SEPARATOR.join(_escape(part) for part in parts)


def _key_text(field: Any, obj: Any) -> str:
    value = getattr(obj, field.attname)
    if isinstance(value, datetime.datetime):
        # One text per instant, whichever zone a form gave it in; cqlengine reads timestamps
        # as naive UTC.
        if timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).isoformat()
    return field.value_to_string(obj)


def key_values(model: type, key: Any) -> dict[str, Any]:
    """``{column: value}`` of the row named by ``key``: a row key for a composite primary key,
    else a value of the one key column. Raises ValueError (or Django's ValidationError, from
    the fields) for text that names no row."""
    if not is_composite(model):
        field = model._meta.pk
        return {field.name: field.to_python(key)}
    parts = _split(str(key))
    fields = key_fields(model)
    if len(parts) != len(fields):
        raise ValueError(f"a {model.__name__} row key has {len(fields)} parts, not {len(parts)}")
    return {
        field.name: query_value(field.to_python(part))
        for field, part in zip(fields, parts, strict=True)
    }


def query_value(value: Any) -> Any:
    """A value to query by: aware datetimes in UTC (cqlengine converts an aware value with the
    offset its zone had on 1 January 1970, an hour off in summer time)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(datetime.timezone.utc)
    return value


def _escape(part: str) -> str:
    return part.replace(ESCAPE, ESCAPE * 2).replace(SEPARATOR, ESCAPE + SEPARATOR)


def _split(key: str) -> list[str]:
    parts, current, chars = [], [], iter(key)
    for char in chars:
        if char == ESCAPE:
            current.append(next(chars, ""))
        elif char == SEPARATOR:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def matches_key(row: Any, values: dict[str, Any]) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())


def pk_lookup_keys(lookup: str, value: Any) -> list[Any]:
    """The keys a ``pk``, ``pk__exact`` or ``pk__in`` lookup names."""
    return list(value) if lookup == "pk__in" else [value]


class AdminRows(ReadOnlyDjangoCassandraQuerySet):
    """Rows already read (a search, the rows an action was given), standing in for the queryset
    the admin and its actions expect: ``pk`` lookups take what the admin shows as ``obj.pk``."""

    def filter(self, **kwargs: Any) -> AdminRows:
        rows = self
        for lookup in PK_LOOKUPS:
            if lookup in kwargs:
                keys = pk_lookup_keys(lookup, kwargs.pop(lookup))
                wanted = [key_values(self.model, key) for key in keys]
                rows = AdminRows(
                    [row for row in rows if any(matches_key(row, values) for values in wanted)],
                    self.model,
                )
        return super(AdminRows, rows).filter(**kwargs)

    def delete(self) -> None:
        """Deletes each row (by its whole primary key)."""
        for row in self:
            row.delete()


class KeyLookupQuerySet:
    """Mixed into the admin's querysets: ``pk`` lookups take what the admin shows as
    ``obj.pk`` (a row key for a composite primary key) and read the rows by their key alone.

    The change list's filters are not applied to them again: the keys the admin passes are of
    rows it listed under those filters, and CQL refuses a key lookup beside them (a second
    relation on a column restricted by equality; ``IN`` on the primary key beside an indexed
    column).
    """

    def filter(self, *args: Any, **kwargs: Any) -> Any:
        lookups = [(name, kwargs.pop(name)) for name in PK_LOOKUPS if name in kwargs]
        queryset = super().filter(*args, **kwargs)
        if not lookups:
            return queryset
        (lookup, value), *others = lookups
        if others:
            raise ValueError(f"one of {', '.join(PK_LOOKUPS)} at a time")
        wanted = pk_lookup_keys(lookup, value)
        by_key = queryset._by_key()
        if not is_composite(self.model):
            pk = self.model._meta.pk
            return by_key.filter(**{f"{pk.name}__in": [pk.to_python(key) for key in wanted]})
        # CQL cannot select rows by a list of whole composite keys: one read per key (the
        # admin passes at most the rows selected on a page).
        rows = [by_key.filter(**key_values(self.model, key)).first() for key in wanted]
        return AdminRows([row for row in rows if row is not None], self.model)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        if not any(name in kwargs for name in PK_LOOKUPS):
            return super().get(*args, **kwargs)
        rows = list(self.filter(*args, **kwargs))
        if not rows:
            raise self.model.DoesNotExist(f"{self.model.__name__} matching query does not exist.")
        return rows[0]

    def _by_key(self) -> Any:
        """This queryset (connection, keyspace, consistency...) without its conditions."""
        clone = copy.deepcopy(self)
        clone._where, clone._order = [], []
        return clone


@functools.cache
def admin_queryset_class(queryset_class: type) -> type:
    return type(f"Admin{queryset_class.__name__}", (KeyLookupQuerySet, queryset_class), {})


def admin_queryset(model: type) -> Any:
    """The admin's queryset over ``model`` (the model's own queryset class, key-aware)."""
    return admin_queryset_class(model.__queryset__)(model)


@functools.cache
def admin_model(model: type) -> type:
    """The class the admin works with for ``model``: the model itself for a one-column primary
    key; for a composite one, a subclass (the same table, ``_meta`` and columns) whose ``pk`` is
    the row key."""
    if not is_composite(model):
        return model
    # A class made like cqlengine's own per-query clones: no class statement, so the model
    # metaclass registers no second model with Django.
    clone = _clone_model_class(model, {"__module__": model.__module__})
    clone.pk = property(row_key)
    return clone
