"""Form fields for collection, tuple and user type columns.

- ``list``/``set`` of a scalar type: ``ItemsField``, comma-separated items in one input, each
  validated as its type (as ``django.contrib.postgres``'s ``SimpleArrayField``); a set drops
  repeated items.
- ``map`` of scalar types: ``KeyValueField``, a table of key and value inputs.
- user types and tuples: ``StructuredField``, one labelled input per field or element.
- anything else (collections of collections, of tuples or of user types): ``CqlJSONField``,
  JSON checked against the column's CQL type, which its help text names.

Scalar values (items, keys, fields) are validated by the form field Django would use for a
column of their type: ``forms.IntegerField`` for ``int``, ``forms.DateTimeField`` for
``timestamp`` (input in the current time zone), and so on.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import Any

from cassandra.cqlengine import ValidationError as CQLValidationError
from cassandra.cqlengine import columns
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from django_cassandra_engine.forms.items import UnclosedQuote, join_items, split_items
from django_cassandra_engine.forms.widgets import KeyValueWidget, StructuredWidget

# How items of a type are described in the help text of a comma-separated field.
ITEM_NOUNS = {
    "int": "whole numbers",
    "bigint": "whole numbers",
    "smallint": "whole numbers",
    "tinyint": "whole numbers",
    "varint": "whole numbers",
    "float": "numbers",
    "double": "numbers",
    "decimal": "numbers",
    "boolean": "true or false values",
    "uuid": "UUIDs",
    "timeuuid": "time-based UUIDs",
    "timestamp": "date-times (YYYY-MM-DD HH:MM:SS)",
    "date": "dates (YYYY-MM-DD)",
    "time": "times (HH:MM:SS)",
    "inet": "IP addresses",
}


def is_scalar(column: columns.Column) -> bool:
    return not isinstance(column, (columns.BaseCollectionColumn, columns.UserDefinedType))


class TimeUUIDField(forms.UUIDField):
    """A UUID that must be time-based (version 1), as Cassandra's ``timeuuid`` requires."""

    default_error_messages = {
        "not_time_based": "Enter a time-based UUID (version 1), as a timeuuid column requires."
    }

    def to_python(self, value: Any) -> uuid.UUID | None:
        value = super().to_python(value)
        if value is not None and value.version != 1:
            raise ValidationError(self.error_messages["not_time_based"], code="not_time_based")
        return value


class BooleanItemField(forms.NullBooleanField):
    """A boolean item, key or field: true or false, never "unknown"."""

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError("Enter true or false.", code="invalid")


def scalar_formfield(column: columns.Column, required: bool = True, **kwargs: Any) -> forms.Field:
    """The form field for one value of a scalar type (an item, a key, a user type field)."""
    if isinstance(column, columns.Boolean):
        return BooleanItemField(required=required, **kwargs)
    from django_cassandra_engine.models.fields import make_field  # it builds these fields

    if isinstance(column, columns.Text):
        kwargs.setdefault("widget", forms.TextInput)  # one line, not a text column's textarea
    return make_field("value", column).formfield(required=required, **kwargs)


def formfield_class_for(column: columns.Column) -> type[forms.Field]:
    if isinstance(column, (columns.List, columns.Set)) and is_scalar(column.value_col):
        return ItemsField
    if (
        isinstance(column, columns.Map)
        and is_scalar(column.key_col)
        and is_scalar(column.value_col)
    ):
        return KeyValueField
    if isinstance(column, (columns.UserDefinedType, columns.Tuple)):
        return StructuredField
    return CqlJSONField


def _part_formfield(column: columns.Column, label: str) -> forms.Field:
    """A field of a user type or an element of a tuple: never required (they may be null)."""
    if is_scalar(column):
        return scalar_formfield(column, required=False, label=label)
    return formfield_class_for(column)(column=column, required=False, label=label)


def _prefixed(prefix: str, error: ValidationError) -> list[ValidationError]:
    return [ValidationError(f"{prefix}: {message}", code="invalid") for message in error.messages]


class ItemsField(forms.Field):
    """A list or set of scalars as comma-separated items (see ``forms/items.py`` for quoting)."""

    widget = forms.TextInput

    def __init__(self, column: columns.Column, **kwargs: Any) -> None:
        self.column = column
        self.unique = isinstance(column, columns.Set)
        self.item_field = scalar_formfield(column.value_col)
        if not kwargs.get("help_text"):
            kwargs["help_text"] = self.default_help_text()
        super().__init__(**kwargs)

    def default_help_text(self) -> str:
        noun = ITEM_NOUNS.get(self.column.value_col.db_type)
        text = f"Separate {noun or 'items'} with commas"
        if noun is None:
            text += "; put an item that contains a comma in double quotes"
        return text + ("; repeated items are kept once." if self.unique else ".")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (set, frozenset)):
            value = sorted(value, key=str)
        if isinstance(value, (list, tuple)):
            return join_items(str(self.item_field.prepare_value(item)) for item in value)
        return value  # the text as typed, shown again with its errors

    def to_python(self, value: Any) -> list[Any] | set[Any]:
        if isinstance(value, (list, tuple, set, frozenset)):
            return set(value) if self.unique else list(value)
        try:
            texts = split_items(value or "")
        except UnclosedQuote as exc:
            raise ValidationError(f"Check the quotes: {exc}.", code="invalid") from exc
        items: list[Any] = []
        errors: list[ValidationError] = []
        for nth, text in enumerate(texts, 1):
            try:
                item = self.item_field.clean(text)
            except ValidationError as exc:
                errors += _prefixed(f"Item {nth} (“{text}”)", exc)
                continue
            if not (self.unique and item in items):
                items.append(item)
        if errors:
            raise ValidationError(errors)
        return set(items) if self.unique else items

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial or []) != self.to_python(data)
        except ValidationError:
            return True


class KeyValueField(forms.Field):
    """A map of scalars as rows of key and value inputs; rows left blank are ignored."""

    widget = KeyValueWidget

    def __init__(self, column: columns.Column, **kwargs: Any) -> None:
        self.column = column
        self.key_field = scalar_formfield(column.key_col)
        self.value_field = scalar_formfield(column.value_col, required=False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return [
                (str(self.key_field.prepare_value(k)), str(self.value_field.prepare_value(v)))
                for k, v in value.items()
            ]
        return value  # the rows as typed

    def to_python(self, value: Any) -> dict[Any, Any]:
        if isinstance(value, dict):
            return value
        entries: dict[Any, Any] = {}
        errors: list[ValidationError] = []
        for nth, (key_text, value_text) in enumerate(value or (), 1):
            if not key_text.strip():
                if value_text.strip():
                    errors.append(ValidationError(f"Row {nth}: enter a key.", code="invalid"))
                continue
            try:
                key = self.key_field.clean(key_text)
            except ValidationError as exc:
                errors += _prefixed(f"Row {nth}, key “{key_text}”", exc)
                continue
            try:
                item = self.value_field.clean(value_text)
            except ValidationError as exc:
                errors += _prefixed(f"Row {nth}, value “{value_text}”", exc)
                continue
            if item is None:
                errors.append(ValidationError(f"Row {nth}: enter a value.", code="invalid"))
            elif key in entries:
                errors.append(
                    ValidationError(f"Row {nth}: the key “{key_text}” is repeated.", code="invalid")
                )
            else:
                entries[key] = item
        if errors:
            raise ValidationError(errors)
        return entries

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial or {}) != self.to_python(data)
        except ValidationError:
            return True


class StructuredField(forms.MultiValueField):
    """A user type (one input per field) or a tuple (one per element); all blank is null."""

    def __init__(self, column: columns.Column, **kwargs: Any) -> None:
        self.column = column
        if isinstance(column, columns.UserDefinedType):
            self.names = list(column.user_type._fields)
            parts = list(column.user_type._fields.values())
            labels = [name.replace("_", " ") for name in self.names]
        else:
            self.names = [str(n) for n in range(len(column.types))]
            parts = list(column.types)
            labels = [f"{n + 1}." for n in range(len(parts))]
        fields = [_part_formfield(part, label) for part, label in zip(parts, labels, strict=True)]
        widget = StructuredWidget(
            {name: field.widget for name, field in zip(self.names, fields, strict=True)}, labels
        )
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def parts(self, value: Any) -> list[Any]:
        if value is None:
            return [None] * len(self.names)
        if isinstance(self.column, columns.UserDefinedType):
            return [value[name] for name in self.names]
        return list(value) + [None] * (len(self.names) - len(value))

    def prepare_value(self, value: Any) -> list[Any]:
        if isinstance(value, list):
            return value  # the inputs as typed
        return [
            field.prepare_value(v) for field, v in zip(self.fields, self.parts(value), strict=True)
        ]

    def compress(self, data_list: list[Any]) -> Any:
        if not data_list or all(v in self.empty_values for v in data_list):
            return None
        if isinstance(self.column, columns.UserDefinedType):
            return self.column.user_type(**dict(zip(self.names, data_list, strict=True)))
        return tuple(data_list)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if initial is not None and not isinstance(initial, list):
            initial = self.parts(initial)
        return super().has_changed(initial, data)


class CqlJSONField(forms.JSONField):
    """Any value as JSON, converted and checked against the column's CQL type."""

    def __init__(self, column: columns.Column, **kwargs: Any) -> None:
        self.column = column
        shape = (
            f"JSON for the CQL type {column.db_type}: lists, sets and tuples as [...], maps and "
            'user types as {"key": value}, dates and times as ISO 8601 text.'
        )
        kwargs["help_text"] = " ".join(filter(None, [kwargs.get("help_text"), shape]))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(to_json(self.column, value), ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        parsed = super().to_python(value)
        if parsed in self.empty_values:
            return None
        return from_json(self.column, parsed)

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return json.loads(data) if isinstance(data, str) else data
        except json.JSONDecodeError:
            return forms.fields.InvalidJSONInput(data)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        return _dumps(self.column, initial) != _dumps(self.column, new)


def _dumps(column: columns.Column, value: Any) -> str:
    # An empty collection is no value in Cassandra.
    return json.dumps(to_json(column, value) or None, sort_keys=True)


def to_json(column: columns.Column, value: Any) -> Any:
    """A column value (or JSON already) as JSON data."""
    if value is None:
        return None
    if isinstance(column, columns.Map):
        return {
            str(to_json(column.key_col, k)): to_json(column.value_col, v) for k, v in value.items()
        }
    if isinstance(column, (columns.List, columns.Set)):
        items = [to_json(column.value_col, v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(column, columns.Set) else items
    if isinstance(column, columns.Tuple):
        return [to_json(t, v) for t, v in zip(column.types, value, strict=False)]
    if isinstance(column, columns.UserDefinedType):
        fields = column.user_type._fields
        return {name: to_json(field, _field_value(value, name)) for name, field in fields.items()}
    return _scalar_json(value)


def _field_value(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, dict) else value[name]


def _scalar_json(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)  # UUIDs, IP addresses, the driver's Date and Time


def from_json(column: columns.Column, value: Any, path: str = "") -> Any:
    """JSON data as the column's Python value; ValidationError names where it is wrong."""
    where = path or "the value"
    if isinstance(column, columns.Map):
        _expect(value, dict, where, "an object")
        return {
            from_json(column.key_col, k, f"{path}[{k!r}] key"): from_json(
                column.value_col, v, f"{path}[{k!r}]"
            )
            for k, v in value.items()
        }
    if isinstance(column, (columns.List, columns.Set)):
        _expect(value, list, where, "a list")
        items = [from_json(column.value_col, v, f"{path}[{n}]") for n, v in enumerate(value)]
        return _as_set(items, where) if isinstance(column, columns.Set) else items
    if isinstance(column, columns.Tuple):
        _expect(value, list, where, f"a list of {len(column.types)} elements")
        if len(value) != len(column.types):
            raise ValidationError(
                f"{where}: expected {len(column.types)} elements.", code="invalid"
            )
        return tuple(
            from_json(t, v, f"{path}[{n}]")
            for n, (t, v) in enumerate(zip(column.types, value, strict=True))
        )
    if isinstance(column, columns.UserDefinedType):
        _expect(value, dict, where, "an object")
        fields = column.user_type._fields
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise ValidationError(f"{where}: unknown fields {', '.join(unknown)}.", code="invalid")
        return column.user_type(
            **{name: from_json(f, value.get(name), f"{path}.{name}") for name, f in fields.items()}
        )
    return _scalar_from_json(column, value, where)


def _scalar_from_json(column: columns.Column, value: Any, where: str) -> Any:
    if value is None:
        raise ValidationError(f"{where}: null is not allowed here.", code="invalid")
    try:
        cleaned = scalar_formfield(column).clean(value)
        column.validate(cleaned)
    except ValidationError as exc:
        raise ValidationError(_prefixed(where, exc)) from exc
    except CQLValidationError as exc:
        raise ValidationError(f"{where}: {exc}", code="invalid") from exc
    return cleaned


def _expect(value: Any, kind: type, where: str, description: str) -> None:
    if not isinstance(value, kind):
        raise ValidationError(f"{where}: expected {description}.", code="invalid")


def _as_set(items: list[Any], where: str) -> set[Any]:
    try:
        return set(items)
    except TypeError as exc:  # lists inside a set: frozen, but unhashable in Python
        raise ValidationError(
            f"{where}: items of this set cannot be lists.", code="invalid"
        ) from exc
