"""The database domain: values as they are written to and read from CQL columns.

Lookups compare values produced by ``Field.get_db_prep_value`` with values read from the driver,
so both sides must be the same kind of Python object. The driver gives ``cassandra.util.Date``
and ``Time`` for ``date`` and ``time`` columns; they become ``datetime.date`` and
``datetime.time`` here. Timestamps are naive datetimes in UTC on both sides (see
``DatabaseOperations.adapt_datetimefield_value``), at the millisecond, the precision CQL keeps.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from cassandra.util import Date, Time
from django.conf import settings
from django.utils import timezone

UTC = datetime.timezone.utc


def from_driver(value: Any) -> Any:
    """A value read from the driver, in the database domain."""
    if isinstance(value, Date):
        try:
            return value.date()
        except ValueError:
            return value  # outside Python's years 1 to 9999
    if isinstance(value, Time):
        try:
            return value.time()
        except ValueError:
            return value
    return value


def truncate_to_milliseconds(value: datetime.datetime) -> datetime.datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def to_database_datetime(value: datetime.datetime) -> datetime.datetime:
    """A datetime as a timestamp column holds it: naive UTC, whole milliseconds. An aware value
    is the instant it denotes; a naive one is in ``TIME_ZONE`` (Django passes naive values only
    with ``USE_TZ = False``)."""
    if timezone.is_aware(value):
        value = value.astimezone(UTC).replace(tzinfo=None)
    else:
        zone = timezone.get_default_timezone()
        value = value.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    return truncate_to_milliseconds(value)


def from_database_datetime(value: datetime.datetime) -> datetime.datetime:
    """A timestamp read back as Django code expects it: aware in UTC under ``USE_TZ``, naive
    in ``TIME_ZONE`` otherwise."""
    aware = value.replace(tzinfo=UTC)
    if settings.USE_TZ:
        return aware
    return timezone.make_naive(aware, timezone.get_default_timezone())


def local_time(value: datetime.datetime, tzname: str | None) -> datetime.datetime:
    """A database-domain timestamp as naive wall-clock time in ``tzname`` (the zone Django's
    Extract and Trunc name), or in ``TIME_ZONE`` without ``USE_TZ``."""
    if tzname is None:
        zone = timezone.get_default_timezone()
    else:
        zone = _zone(tzname)
    return value.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def _zone(tzname: str) -> datetime.tzinfo:
    if tzname.startswith(("+", "-")):  # Django's fixed offsets, "+05:30"
        sign = -1 if tzname[0] == "-" else 1
        hours, _, minutes = tzname[1:].partition(":")
        offset = datetime.timedelta(hours=int(hours), minutes=int(minutes or 0))
        return datetime.timezone(sign * offset)
    if tzname == "UTC":
        return UTC
    return zoneinfo.ZoneInfo(tzname)


def microseconds(value: datetime.timedelta) -> int:
    return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
