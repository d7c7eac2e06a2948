"""Timestamp, date and time columns as Django's own fields give them.

cqlengine reads a ``timestamp`` as a naive datetime in UTC, stores an aware one by the offset its
zone had in 1970 (wrong by an hour half the year in a zone with daylight saving time), and gives
dates and times as ``cassandra.util.Date``/``Time``. Columns of a DjangoCassandraModel follow
Django instead:

- ``timestamp`` with ``USE_TZ = True``: read as aware datetimes in UTC; an aware value is stored
  as the instant it denotes; a naive one gets Django's RuntimeWarning and is taken in the default
  time zone (``TIME_ZONE``), as ``DateTimeField.get_prep_value`` does.
- ``timestamp`` with ``USE_TZ = False``: naive datetimes in ``TIME_ZONE``, read and written as
  Django's PostgreSQL backend gives them (the stored value is still the right instant, so other
  clients read the same time).
- ``date`` and ``time``: ``datetime.date`` and ``datetime.time``. The driver's types stay where
  Python's cannot hold the value (dates outside years 1 to 9999, times with nanoseconds).

The conversion lives in the column objects' ``to_python``/``to_database``, which every cqlengine
path calls (saves, queryset updates, filters, LWT conditions, batches, collection elements). Each
model's own column objects get these classes when the model class is created (``adopt``);
cqlengine's classes are left as they are, so plain cqlengine models keep cqlengine's behaviour.
Timestamps inside user types keep cqlengine's conversion: the type's columns belong to the
``UserType`` class, which plain models may share.
"""

from __future__ import annotations

import datetime
import warnings
from typing import Any

from cassandra.cqlengine import ValidationError, columns
from cassandra.cqlengine.functions import MaxTimeUUID, MinTimeUUID
from django.conf import settings
from django.utils import timezone

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
ONE_MILLISECOND = datetime.timedelta(milliseconds=1)


def to_instant(value: datetime.datetime, label: str = "(unbound)") -> datetime.datetime:
    """The instant ``value`` denotes, as an aware datetime in UTC. A naive value is in the
    default time zone, with Django's warning when time zone support is active."""
    if timezone.is_aware(value):
        return value.astimezone(UTC)
    if settings.USE_TZ:
        warnings.warn(
            f"DateTimeField {label} received a naive datetime ({value}) while time zone "
            "support is active.",
            RuntimeWarning,
            stacklevel=2,
        )
    return timezone.make_aware(value, timezone.get_default_timezone()).astimezone(UTC)


def django_datetime(instant: datetime.datetime) -> datetime.datetime:
    """An instant as Django code expects it: aware in UTC, or naive in TIME_ZONE without
    USE_TZ."""
    if settings.USE_TZ:
        return instant
    return timezone.make_naive(instant, timezone.get_default_timezone())


class DateTime(columns.DateTime):
    """A ``timestamp`` column converting as Django's DateTimeField (see the module docstring)."""

    label = "(unbound)"  # "Model.column", named in the naive datetime warning

    def to_python(self, value: Any) -> datetime.datetime | None:
        instant = self._instant(value)
        return None if instant is None else django_datetime(instant)

    def to_database(self, value: Any) -> int | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValidationError(f"{self.column_name} '{value}' is not a datetime object")
        instant = self._instant(value)
        # Milliseconds since the epoch, the timestamp's unit; floor keeps the read-back value at
        # or before the one written.
        return None if instant is None else (instant - EPOCH) // ONE_MILLISECOND

    def _instant(self, value: Any) -> datetime.datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            moment = datetime.datetime(value.year, value.month, value.day)
        elif isinstance(value, (int, float)):
            return datetime.datetime.fromtimestamp(value, tz=UTC)  # seconds, as cqlengine reads
        else:
            raise ValidationError(f"{self.column_name} '{value}' is not a datetime object")
        if columns.DateTime.truncate_microseconds:
            moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        return to_instant(moment, self.label)


class Date(columns.Date):
    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.date()
        except ValueError:
            return value  # beyond datetime.date's years 1 to 9999


class Time(columns.Time):
    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value is None or value.nanosecond_time % 1000:
            return value  # nanoseconds, which datetime.time cannot hold
        return value.time()


_ADOPTED = {columns.DateTime: DateTime, columns.Date: Date, columns.Time: Time}


def adopt(column: columns.Column, label: str) -> None:
    """Give ``column`` (and the element columns of a collection or tuple) the classes above.

    Only columns of exactly cqlengine's class change: a subclass of the application's own keeps
    its conversion. The object keeps its identity, so cqlengine's bookkeeping of the model's
    columns (order, keys, descriptors) is untouched.
    """
    adopted = _ADOPTED.get(type(column))
    if adopted is not None:
        column.__class__ = adopted
        column.label = label
    for element in _element_columns(column):
        adopt(element, f"{label} (element)")


def _element_columns(column: columns.Column) -> list[columns.Column]:
    if isinstance(column, columns.Map):
        return [column.key_col, column.value_col]
    if isinstance(column, (columns.List, columns.Set)):
        return [column.value_col]
    if isinstance(column, columns.Tuple):
        return list(column.types)
    return []


def holds_timestamps(column: columns.Column) -> bool:
    return isinstance(column, DateTime) or any(map(holds_timestamps, _element_columns(column)))


def from_database(column: columns.Column, value: Any) -> Any:
    """A value as the driver read it, its timestamps (naive UTC) made aware, ready for
    ``to_python``, which takes naive values as local time."""
    if value is None:
        return None
    if isinstance(column, DateTime):
        return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value
    if isinstance(column, columns.Map):
        return {
            from_database(column.key_col, k): from_database(column.value_col, v)
            for k, v in value.items()
        }
    if isinstance(column, columns.List):
        return [from_database(column.value_col, v) for v in value]
    if isinstance(column, columns.Set):
        return {from_database(column.value_col, v) for v in value}
    if isinstance(column, columns.Tuple):
        return tuple(from_database(t, v) for t, v in zip(column.types, value, strict=False))
    return value


def filter_value(column: columns.Column | None, value: Any) -> Any:
    """A filter value with its datetimes as instants in UTC: cqlengine puts an equality filter's
    value in the rows it reads back, and computes minTimeuuid/maxTimeuuid arguments with its own
    (1970 offset) conversion."""
    if isinstance(value, (MinTimeUUID, MaxTimeUUID)):
        return type(value)(to_instant(value.value, "minTimeuuid/maxTimeuuid"))
    if isinstance(column, DateTime):
        if isinstance(value, (list, tuple)):
            return type(value)(filter_value(column, v) for v in value)
        if isinstance(value, datetime.datetime):
            return to_instant(value, column.label)
    return value
