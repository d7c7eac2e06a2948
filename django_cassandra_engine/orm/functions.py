"""Django's database functions (``django.db.models.functions``) evaluated in Python.

Each follows the SQL semantics Django documents: NULL in, NULL out (except ``Coalesce`` and
``Concat``, which treats NULL as an empty string as Django does on every backend), string
positions counted from 1, ``Round`` half away from zero, ``Greatest``/``Least`` NULL when any
argument is (as SQLite, MySQL and Oracle answer). Date functions work on wall-clock time in the
zone Django names (the current time zone under ``USE_TZ``).
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
import uuid
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import NotSupportedError
from django.db.models import functions as fn
from django.db.models.functions.datetime import TruncBase

from django_cassandra_engine.orm import values
from django_cassandra_engine.orm.evaluate import Evaluator, handles
from django_cassandra_engine.orm.rows import Row


def _args(ev: Evaluator, node: Any, row: Row) -> list[Any]:
    return [ev.value(source, row) for source in node.get_source_expressions()]


def _strict(compute: Callable[..., Any]) -> Callable[[Evaluator, Any, Row], Any]:
    """A handler for a function that is NULL when any argument is."""

    def handler(ev: Evaluator, node: Any, row: Row) -> Any:
        arguments = _args(ev, node, row)
        if any(a is None for a in arguments):
            return None
        return compute(*arguments)

    return handler


def register_strict(klass: type, compute: Callable[..., Any]) -> None:
    handles(klass)(_strict(compute))


# Comparison and conversion
@handles(fn.Coalesce)
def _coalesce(ev: Evaluator, node: fn.Coalesce, row: Row) -> Any:
    for source in node.get_source_expressions():
        value = ev.value(source, row)
        if value is not None:
            return value
    return None


@handles(fn.Collate)
def _collate(ev: Evaluator, node: fn.Collate, row: Row) -> Any:
    return ev.value(node.get_source_expressions()[0], row)


register_strict(fn.Greatest, lambda *a: max(a))
register_strict(fn.Least, lambda *a: min(a))


@handles(fn.NullIf)
def _nullif(ev: Evaluator, node: fn.NullIf, row: Row) -> Any:
    first, second = _args(ev, node, row)
    return None if first is not None and first == second else first


@handles(fn.Cast)
def _cast(ev: Evaluator, node: fn.Cast, row: Row) -> Any:
    value = ev.value(node.get_source_expressions()[0], row)
    if value is None:
        return None
    return cast(value, node.output_field)


def cast(value: Any, field: Any) -> Any:
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):
        text = _as_text(value)
        return text[: field.max_length] if getattr(field, "max_length", None) else text
    if kind.endswith("IntegerField") or kind.endswith("AutoField"):
        if isinstance(value, str):
            value = Decimal(value.strip())
        return int(value)
    if kind == "FloatField":
        return float(value)
    if kind == "DecimalField":
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if field.decimal_places is not None:
            number = number.quantize(Decimal(1).scaleb(-field.decimal_places), ROUND_HALF_UP)
        return number
    if kind == "BooleanField":
        return bool(value)
    if kind == "DateTimeField":
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        elif not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        return values.to_database_datetime(value) if value.tzinfo else value
    if kind == "DateField":
        if isinstance(value, datetime.datetime):
            return value.date()
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value
    if kind == "TimeField":
        if isinstance(value, datetime.datetime):
            return value.time()
        return datetime.time.fromisoformat(value) if isinstance(value, str) else value
    if kind == "DurationField":
        return int(value)
    if kind == "UUIDField":
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    raise NotSupportedError(f"Cast to {kind} is not supported on Cassandra.")


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value)


# Text
@handles(fn.ConcatPair)
def _concat_pair(ev: Evaluator, node: fn.ConcatPair, row: Row) -> str:
    return "".join("" if v is None else _as_text(v) for v in _args(ev, node, row))


@handles(fn.Concat)
def _concat(ev: Evaluator, node: fn.Concat, row: Row) -> Any:
    return ev.value(node.get_source_expressions()[0], row)


register_strict(fn.Lower, lambda s: s.lower())
register_strict(fn.Upper, lambda s: s.upper())
register_strict(fn.Length, lambda s: len(s))
register_strict(fn.Reverse, lambda s: s[::-1])
register_strict(fn.Trim, lambda s: s.strip(" "))
register_strict(fn.LTrim, lambda s: s.lstrip(" "))
register_strict(fn.RTrim, lambda s: s.rstrip(" "))
register_strict(fn.Left, lambda s, n: s[: max(n, 0)])
register_strict(fn.Right, lambda s, n: s[-n:] if n > 0 else "")
register_strict(fn.Repeat, lambda s, n: s * max(n, 0))
register_strict(fn.Chr, lambda code: chr(code))
register_strict(fn.Ord, lambda s: ord(s[0]) if s else 0)
register_strict(fn.StrIndex, lambda s, part: s.find(part) + 1)
register_strict(fn.Replace, lambda s, old, new="": s.replace(old, new) if old else s)


def _substr(s: str, position: int, length: int | None = None) -> str:
    start = max(position - 1, 0)
    return s[start:] if length is None else s[start : start + max(length, 0)]


register_strict(fn.Substr, _substr)


def _pad(left: bool) -> Callable[[str, int, str], str]:
    def pad(s: str, length: int, fill: str = " ") -> str:
        if length <= len(s) or not fill:
            return s[:length]
        filler = (fill * (length // len(fill) + 1))[: length - len(s)]
        return filler + s if left else s + filler

    return pad


register_strict(fn.LPad, _pad(True))
register_strict(fn.RPad, _pad(False))

for _klass, _algorithm in (
    (fn.MD5, "md5"),
    (fn.SHA1, "sha1"),
    (fn.SHA224, "sha224"),
    (fn.SHA256, "sha256"),
    (fn.SHA384, "sha384"),
    (fn.SHA512, "sha512"),
):
    register_strict(_klass, lambda s, _a=_algorithm: hashlib.new(_a, s.encode("utf-8")).hexdigest())


# Math
def _float(compute: Callable[[float], float]) -> Callable[..., Any]:
    def apply(*arguments: Any) -> Any:
        try:
            result = compute(*(float(a) for a in arguments))
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        if any(isinstance(a, Decimal) for a in arguments):
            return Decimal(repr(result))
        return result

    return apply


def _keep_type(compute: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        result = compute(value)
        return Decimal(result) if isinstance(value, Decimal) else result

    return apply


register_strict(fn.Abs, lambda v: abs(v))
register_strict(fn.ACos, _float(math.acos))
register_strict(fn.ASin, _float(math.asin))
register_strict(fn.ATan, _float(math.atan))
register_strict(fn.ATan2, _float(math.atan2))
register_strict(fn.Ceil, _keep_type(math.ceil))
register_strict(fn.Floor, _keep_type(math.floor))
register_strict(fn.Cos, _float(math.cos))
register_strict(fn.Cot, _float(lambda x: 1 / math.tan(x)))
register_strict(fn.Degrees, _float(math.degrees))
register_strict(fn.Radians, _float(math.radians))
register_strict(fn.Exp, _float(math.exp))
register_strict(fn.Ln, _float(math.log))
register_strict(fn.Log, _float(lambda base, x: math.log(x, base)))
register_strict(fn.Sin, _float(math.sin))
register_strict(fn.Sqrt, _float(math.sqrt))
register_strict(fn.Tan, _float(math.tan))
register_strict(fn.Sign, lambda v: type(v)((v > 0) - (v < 0)))
register_strict(fn.Power, _float(lambda x, y: x**y))


@handles(fn.Mod)
def _mod(ev: Evaluator, node: fn.Mod, row: Row) -> Any:
    x, y = _args(ev, node, row)
    if x is None or y is None or y == 0:
        return None
    if isinstance(x, Decimal) or isinstance(y, Decimal):
        return Decimal(x) % Decimal(y)
    return math.fmod(x, y)


def _round(value: Any, precision: int = 0) -> Any:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = number.quantize(Decimal(1).scaleb(-precision), ROUND_HALF_UP)
    if isinstance(value, float):
        return float(rounded)
    if isinstance(value, int):
        return int(rounded)
    return rounded


register_strict(fn.Round, _round)


@handles(fn.Pi)
def _pi(ev: Evaluator, node: fn.Pi, row: Row) -> float:
    return math.pi


@handles(fn.Random)
def _random(ev: Evaluator, node: fn.Random, row: Row) -> float:
    return random.random()


# Dates and times
@handles(fn.Now)
def _now(ev: Evaluator, node: fn.Now, row: Row) -> datetime.datetime:
    # One instant per query, as SQL's CURRENT_TIMESTAMP is one per statement.
    return ev.prepared(ev, "now", lambda: datetime.datetime.now(values.UTC).replace(tzinfo=None))


def _wall_clock(node: Any, value: Any) -> Any:
    """A database-domain value as the wall-clock date and time Django's date functions
    see (datetimes in the function's zone)."""
    if isinstance(value, datetime.datetime):
        return values.local_time(value, node.get_tzname())
    return value


EXTRACTS: dict[str, Callable[[Any], int]] = {
    "year": lambda v: v.year,
    "iso_year": lambda v: v.isocalendar()[0],
    "month": lambda v: v.month,
    "day": lambda v: v.day,
    "week": lambda v: v.isocalendar()[1],
    "week_day": lambda v: v.isoweekday() % 7 + 1,
    "iso_week_day": lambda v: v.isoweekday(),
    "quarter": lambda v: (v.month - 1) // 3 + 1,
    "hour": lambda v: v.hour,
    "minute": lambda v: v.minute,
    "second": lambda v: v.second,
}


@handles(fn.Extract)
def _extract(ev: Evaluator, node: fn.Extract, row: Row) -> int | None:
    value = ev.value(node.lhs, row)
    if value is None:
        return None
    extract = EXTRACTS.get(node.lookup_name)
    if extract is None:
        raise NotSupportedError(f"Extract {node.lookup_name!r} is not supported on Cassandra.")
    return extract(_wall_clock(node, value))


def _truncate(kind: str, value: Any) -> Any:
    if isinstance(value, datetime.time):
        parts = {"hour": 1, "minute": 2, "second": 3}
        keep = parts.get(kind)
        if keep is None:
            raise ValueError(f"Cannot truncate TimeField to {kind!r}")
        fields = [value.hour, value.minute, value.second][:keep] + [0] * (3 - keep)
        return datetime.time(*fields)
    is_datetime = isinstance(value, datetime.datetime)
    if kind in ("hour", "minute", "second"):
        if not is_datetime:
            raise ValueError(f"Cannot truncate DateField to {kind!r}")
        keep = {"hour": 4, "minute": 5, "second": 6}[kind]
        fields = [value.year, value.month, value.day, value.hour, value.minute, value.second]
        return datetime.datetime(*fields[:keep], *([0] * (6 - keep)))
    day = value.date() if is_datetime else value
    if kind == "year":
        day = day.replace(month=1, day=1)
    elif kind == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif kind == "month":
        day = day.replace(day=1)
    elif kind == "week":
        day = day - datetime.timedelta(days=day.weekday())
    elif kind != "day":
        raise ValueError(f"Unsupported truncation {kind!r}")
    return datetime.datetime.combine(day, datetime.time()) if is_datetime else day


@handles(TruncBase)
def _trunc(ev: Evaluator, node: TruncBase, row: Row) -> Any:
    value = ev.value(node.lhs, row)
    if value is None:
        return None
    local = _wall_clock(node, value)
    output = node.output_field.get_internal_type()
    # Datetimes come back as wall-clock time in the function's zone, as SQL databases give
    # them; TruncBase.convert_value makes them aware in that zone.
    truncated = _truncate(node.kind, local) if node.kind not in ("date", "time") else local
    if output == "DateField" and isinstance(truncated, datetime.datetime):
        return truncated.date()
    if output == "TimeField" and isinstance(truncated, datetime.datetime):
        return truncated.time()
    if output == "DateTimeField" and not isinstance(truncated, datetime.datetime):
        return datetime.datetime.combine(truncated, datetime.time())
    return truncated


@handles(fn.TruncDate)
def _trunc_date(ev: Evaluator, node: fn.TruncDate, row: Row) -> Any:
    value = ev.value(node.lhs, row)
    if value is None:
        return None
    local = _wall_clock(node, value)
    return local.date() if isinstance(local, datetime.datetime) else local


@handles(fn.TruncTime)
def _trunc_time(ev: Evaluator, node: fn.TruncTime, row: Row) -> Any:
    value = ev.value(node.lhs, row)
    if value is None:
        return None
    local = _wall_clock(node, value)
    return local.time() if isinstance(local, datetime.datetime) else local
