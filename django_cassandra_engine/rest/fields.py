"""DRF serializer fields for cqlengine column types that Django's field kinds do not describe:
collections, tuples, user types, and the driver's own date and time values."""

from __future__ import annotations

from typing import Any

from cassandra.cqlengine import columns
from cassandra.util import Date, Time
from rest_framework import serializers


class CqlDateField(serializers.DateField):
    """``columns.Date`` values are ``cassandra.util.Date``; JSON gets ISO dates."""

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value.date() if isinstance(value, Date) else value)


class CqlTimeField(serializers.TimeField):
    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value.time() if isinstance(value, Time) else value)


class SetField(serializers.ListField):
    """A set column: a JSON list (sorted, so output is stable), read back as a set."""

    def to_representation(self, data: Any) -> list[Any]:
        return sorted(super().to_representation(data or ()), key=repr)

    def to_internal_value(self, data: Any) -> set[Any]:
        return set(super().to_internal_value(data))


class TupleField(serializers.Field):
    """A tuple column: a JSON list with one value per element type."""

    def __init__(self, children: list[serializers.Field], **kwargs: Any) -> None:
        self.children = children
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> list[Any]:
        return [child.to_representation(v) for child, v in zip(self.children, value, strict=False)]

    def to_internal_value(self, data: Any) -> tuple[Any, ...]:
        if not isinstance(data, (list, tuple)) or len(data) != len(self.children):
            raise serializers.ValidationError(f"Expected a list of {len(self.children)} values.")
        return tuple(child.run_validation(v) for child, v in zip(self.children, data, strict=True))


class UserTypeField(serializers.Field):
    """A user type column: a JSON object with the type's fields, read back as the UserType."""

    def __init__(self, user_type: type, **kwargs: Any) -> None:
        self.user_type = user_type
        self.children = {
            name: column_field(column, required=False, allow_null=True)
            for name, column in user_type._fields.items()
        }
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, Any]:
        return {
            name: None if value[name] is None else child.to_representation(value[name])
            for name, child in self.children.items()
        }

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError("Expected an object.")
        unknown = set(data) - set(self.children)
        if unknown:
            raise serializers.ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
        errors, values = {}, {}
        for name, value in data.items():
            try:
                values[name] = self.children[name].run_validation(value)
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return self.user_type(**values)


# Scalar columns, most specific classes first (isinstance decides).
_SCALARS: tuple[tuple[type[columns.Column], type[serializers.Field]], ...] = (
    (columns.Counter, serializers.IntegerField),
    (columns.Boolean, serializers.BooleanField),
    (columns.TinyInt, serializers.IntegerField),
    (columns.SmallInt, serializers.IntegerField),
    (columns.BigInt, serializers.IntegerField),
    (columns.VarInt, serializers.IntegerField),
    (columns.Integer, serializers.IntegerField),
    (columns.Float, serializers.FloatField),
    (columns.Double, serializers.FloatField),
    (columns.TimeUUID, serializers.UUIDField),
    (columns.UUID, serializers.UUIDField),
    (columns.DateTime, serializers.DateTimeField),
    (columns.Date, CqlDateField),
    (columns.Time, CqlTimeField),
    (columns.Inet, serializers.IPAddressField),
    (columns.Text, serializers.CharField),
)


def column_field(column: columns.Column, **kwargs: Any) -> serializers.Field:
    """The serializer field for a column (also an element of a collection or user type)."""
    field_class, spec = column_field_spec(column)
    return field_class(**{**spec, **kwargs})


def column_field_spec(column: columns.Column) -> tuple[type[serializers.Field], dict[str, Any]]:
    """The serializer field class for a column and the arguments its type needs."""
    if isinstance(column, columns.Set):
        return SetField, {"child": column_field(column.value_col)}
    if isinstance(column, columns.List):
        return serializers.ListField, {"child": column_field(column.value_col)}
    if isinstance(column, columns.Map):
        return serializers.DictField, {"child": column_field(column.value_col)}
    if isinstance(column, columns.Tuple):
        return TupleField, {"children": [column_field(t) for t in column.types]}
    if isinstance(column, columns.UserDefinedType):
        return UserTypeField, {"user_type": column.user_type}
    if isinstance(column, columns.Decimal):
        return serializers.DecimalField, {"max_digits": None, "decimal_places": None}
    if isinstance(column, (columns.Duration, columns.Blob)):
        return serializers.CharField, {"read_only": True}
    for column_class, field_class in _SCALARS:
        if isinstance(column, column_class):
            if field_class is serializers.CharField:
                return field_class, {"allow_blank": True}
            return field_class, {}
    return serializers.ReadOnlyField, {}


def is_special(column: columns.Column) -> bool:
    """Columns whose Django field DRF would not map well (see module docstring)."""
    return isinstance(
        column,
        (
            columns.BaseCollectionColumn,
            columns.UserDefinedType,
            columns.Date,
            columns.Time,
            columns.Decimal,
        ),
    )
