"""Django field objects describing cqlengine columns.

Each column of a DjangoCassandraModel gets a real ``django.db.models.Field`` of the matching kind
in ``Model._meta``, so forms, the admin and other Django code see types they know (a UUID column
gives a ``UUIDField`` and a ``forms.UUIDField``). The fields describe; the cqlengine column stays
in charge of storage and of the attribute on the model.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from cassandra.cqlengine import columns
from cassandra.util import Date, Time
from django import forms
from django.core import exceptions
from django.db import models
from django.utils import dateparse

from django_cassandra_engine.forms import TimeUUIDField, formfield_class_for
from django_cassandra_engine.forms.fields import to_json

# Django field options a model may give per column in ``Meta.field_options``.
FIELD_OPTIONS = (
    "verbose_name",
    "help_text",
    "choices",
    "validators",
    "editable",
    "blank",
    "max_length",
    "error_messages",
    "db_comment",
)


class CqlJSONEncoder(json.JSONEncoder):
    """JSON for collection values in forms: sets as sorted lists, user types as objects."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (set, frozenset)):
            return sorted(o, key=repr)
        if hasattr(o, "items"):  # cqlengine UserType values
            return dict(o.items())
        if isinstance(o, (datetime.date, datetime.time)):
            return o.isoformat()
        return str(o)


class CollectionField(models.Field):
    """A list, set, map, tuple or user type column. Forms edit it with the fields of
    ``django_cassandra_engine.forms``: comma-separated items, key/value rows, one input per
    user type field, or JSON for nested types."""

    description = "Cassandra collection"
    # Serializers (dumpdata, loaddata) treat a field of internal type JSONField as JSON.
    encoder = CqlJSONEncoder
    decoder = None

    def __init__(self, *args: Any, column: columns.Column | None = None, **kwargs: Any) -> None:
        self.cql_column = column
        super().__init__(*args, **kwargs)

    def clone(self) -> CollectionField:
        field = super().clone()
        field.cql_column = self.cql_column
        return field

    def get_internal_type(self) -> str:
        return "JSONField"

    def to_python(self, value: Any) -> Any:
        """The column's Python value for a Python value or for JSON data (a fixture's: lists
        for sets, objects for user types, text for dates). Text is left as it is, as Django's
        JSONField does: the XML deserializer decodes it next."""
        if value is None or isinstance(value, str):
            return value
        return column_value(self.cql_column, value)

    def value_from_object(self, obj: Any) -> Any:
        value = super().value_from_object(obj)
        return sorted(value, key=repr) if isinstance(value, set) else value

    def save_form_data(self, instance: Any, data: Any) -> None:
        # A set column needs a set, also when the form gives an empty list.
        setattr(instance, self.attname, self.to_python(data))

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(
            **{
                "form_class": formfield_class_for(self.cql_column),
                "column": self.cql_column,
                **kwargs,
            }
        )

    def value_to_string(self, obj: Any) -> Any:
        """The value as JSON data (lists, objects, strings, numbers), as Django's JSONField
        gives it to serializers: sets as sorted lists, user types as objects."""
        return to_json(self.cql_column, getattr(obj, self.attname))


def column_value(column: columns.Column, value: Any) -> Any:
    """A collection, tuple or user type column's Python value from JSON data or from its
    Python value (unchanged); cqlengine's columns convert the scalars inside."""
    if value is None:
        return None
    if isinstance(column, columns.Map):
        return {
            column_value(column.key_col, k): column_value(column.value_col, v)
            for k, v in value.items()
        }
    if isinstance(column, (columns.List, columns.Set)):
        items = [column_value(column.value_col, item) for item in value]
        return set(items) if isinstance(column, columns.Set) else items
    if isinstance(column, columns.Tuple):
        return tuple(column_value(t, v) for t, v in zip(column.types, value, strict=False))
    if isinstance(column, columns.UserDefinedType):
        return _user_type_value(column, value) if isinstance(value, dict) else value
    return _scalar_value(column, value)


def _user_type_value(column: columns.UserDefinedType, value: dict[str, Any]) -> Any:
    user_type = column.user_type
    unknown = set(value) - set(user_type._fields)
    if unknown:
        raise exceptions.ValidationError(
            f"Unknown fields of {user_type.__name__}: {', '.join(sorted(unknown))}",
            code="invalid",
        )
    return user_type(
        **{name: column_value(field, value.get(name)) for name, field in user_type._fields.items()}
    )


def _scalar_value(column: columns.Column, value: Any) -> Any:
    if isinstance(value, str):
        parse = {columns.DateTime: dateparse.parse_datetime, columns.Time: dateparse.parse_time}
        for column_class, parser in parse.items():
            if isinstance(column, column_class):
                return parser(value)
        if isinstance(column, columns.Date):
            return dateparse.parse_date(value)
    return column.to_python(value)


class CqlDateField(models.DateField):
    """``columns.Date`` holds ``cassandra.util.Date``; forms and validation use dates."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Date):
            value = value.date()
        return super().to_python(value)

    def value_from_object(self, obj: Any) -> Any:
        value = super().value_from_object(obj)
        return value.date() if isinstance(value, Date) else value


class CqlTimeField(models.TimeField):
    def to_python(self, value: Any) -> Any:
        if isinstance(value, Time):
            value = value.time()
        return super().to_python(value)

    def value_from_object(self, obj: Any) -> Any:
        value = super().value_from_object(obj)
        return value.time() if isinstance(value, Time) else value


class CqlTimeUUIDField(models.UUIDField):
    """``columns.TimeUUID``: Cassandra accepts time-based UUIDs (version 1) only."""

    default_error_messages = {
        "not_time_based": "“%(value)s” is not a time-based UUID (version 1), which a timeuuid "
        "column requires."
    }

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value is not None and value.version != 1:
            raise exceptions.ValidationError(
                self.error_messages["not_time_based"],
                code="not_time_based",
                params={"value": value},
            )
        return value

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": TimeUUIDField, **kwargs})


class CqlDurationField(models.CharField):
    """``columns.Duration`` (months, days, nanoseconds) has no Python timedelta equivalent."""


# Most specific classes first: isinstance decides.
_FIELD_CLASSES: tuple[tuple[type[columns.Column], type[models.Field]], ...] = (
    (columns.Counter, models.BigIntegerField),
    (columns.TinyInt, models.SmallIntegerField),
    (columns.SmallInt, models.SmallIntegerField),
    (columns.BigInt, models.BigIntegerField),
    (columns.Integer, models.IntegerField),
    (columns.VarInt, models.BigIntegerField),
    (columns.Float, models.FloatField),
    (columns.Double, models.FloatField),
    (columns.Decimal, models.DecimalField),
    (columns.Boolean, models.BooleanField),
    (columns.TimeUUID, CqlTimeUUIDField),
    (columns.UUID, models.UUIDField),
    (columns.DateTime, models.DateTimeField),
    (columns.Date, CqlDateField),
    (columns.Time, CqlTimeField),
    (columns.Duration, CqlDurationField),
    (columns.Inet, models.GenericIPAddressField),
    (columns.Blob, models.BinaryField),
    (columns.BaseCollectionColumn, CollectionField),
    (columns.UserDefinedType, CollectionField),
)


def field_class_for(column: columns.Column) -> type[models.Field]:
    if isinstance(column, columns.Text):
        return models.CharField if column.max_length else models.TextField
    for column_class, field_class in _FIELD_CLASSES:
        if isinstance(column, column_class):
            return field_class
    return models.Field


def make_field(
    name: str, column: columns.Column, options: dict[str, Any] | None = None
) -> models.Field:
    """The Django field describing ``column`` (attribute ``name`` on the model)."""
    field_class = field_class_for(column)
    has_default = column.default is not None
    optional = not column.required and not column.primary_key
    kwargs: dict[str, Any] = {
        "primary_key": column.primary_key,
        "db_column": column.db_field_name if column.db_field_name != name else None,
        "db_index": bool(column.index),
        "blank": optional or (has_default and not column.required),
        "null": optional,
        "verbose_name": name.replace("_", " "),
    }
    # cqlengine gives collections an empty default (list, set, dict), the same as no value in
    # Cassandra; as a Django default it would only add hidden "initial" inputs to forms.
    if has_default and not (
        isinstance(column, columns.BaseContainerColumn) and not column.get_default()
    ):
        kwargs["default"] = column.default
    if column.primary_key and has_default:
        # A generated key (uuid4, now): forms must not offer to change which row this is.
        kwargs["editable"] = False
    if isinstance(column, columns.Counter):
        kwargs["editable"] = False  # counters change by increments, not by assignment
    if isinstance(column, columns.Text) and column.max_length:
        kwargs["max_length"] = column.max_length
    if field_class is CollectionField:
        kwargs["column"] = column
    if field_class is models.BinaryField:
        kwargs["editable"] = False
    if field_class is CqlDurationField:
        kwargs["editable"] = False
    if field_class is models.DecimalField:
        kwargs.update(max_digits=None, decimal_places=None)
    kwargs.update(options or {})
    field = field_class(**kwargs)
    field.set_attributes_from_name(name)
    field.cql_column = column
    return field
