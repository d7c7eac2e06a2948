"""DjangoCassandraQuerySet: cqlengine's ModelQuerySet plus the Django queryset methods that
Cassandra can honour; the others fail with ``django.db.NotSupportedError`` naming the limitation."""

from __future__ import annotations

import contextvars
import copy
import operator
from collections.abc import Iterable, Iterator
from typing import Any

from cassandra.cqlengine import columns
from cassandra.cqlengine.query import DMLQuery, LWTException, ModelQuerySet, QueryException
from django.conf import settings
from django.db import NotSupportedError

from django_cassandra_engine import utils
from django_cassandra_engine.errors import django_errors
from django_cassandra_engine.models import temporal
from django_cassandra_engine.models.asynchronous import AsyncQuerySetMixin

# Django lookups and the cqlengine operators that express them.
LOOKUPS = {"exact": "", "in": "in", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}
# Django lookups CQL cannot express (without a SASI/SAI index and LIKE, which cqlengine exposes
# as the `like` operator for those who have one).
UNSUPPORTED_LOOKUPS = {
    "iexact": "case-insensitive comparison",
    "icontains": "substring search",
    "startswith": "prefix search",
    "istartswith": "prefix search",
    "endswith": "suffix search",
    "iendswith": "suffix search",
    "regex": "regular expressions",
    "iregex": "regular expressions",
    "isnull": "IS NULL (Cassandra cannot select rows by a missing value)",
    "year": "date part extraction",
    "month": "date part extraction",
    "day": "date part extraction",
    "date": "date part extraction",
    "search": "full-text search",
}
PYTHON_COMPARE = {
    "": operator.eq,
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda a, b: a in b,
}


# Set while dumpdata runs (management/commands/dumpdata.py): there, ordering a whole table by
# its primary key means the table's own order (partitions in token order, rows in clustering
# order within each), which is what CQL reads and the same from one run to the next.
TABLE_ORDER_FOR_PK = contextvars.ContextVar("table_order_for_pk", default=False)


class CassandraNotSupportedError(NotSupportedError, QueryException):
    """What CQL cannot do: Django's NotSupportedError, and cqlengine's QueryException, which
    the original package raised and its users catch."""


def _not_supported(what: str, why: str) -> CassandraNotSupportedError:
    return CassandraNotSupportedError(f"Cassandra does not support {what}: {why}.")


class ModelNames:
    """The model's names on a queryset: the admin's messages and delete confirmation name the
    rows with model_ngettext(queryset), which reads these from anything not a Django QuerySet."""

    model: type

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self) -> str:
        return self.model._meta.verbose_name_plural


class DjangoCassandraQuerySet(ModelNames, AsyncQuerySetMixin, ModelQuerySet):
    # Django code treats Model.objects as a manager; these make the queryset stand in for one.
    name = "objects"
    use_in_migrations = False
    auto_created = False
    _prefetch_related_lookups = ()  # read by Django's tools (dumpdata); there are no relations

    def __init__(self, model: type) -> None:
        super().__init__(model)
        # Like the django-cassandra-engine users know: filters on non-key columns run with
        # ALLOW FILTERING instead of failing.
        self._allow_filtering = True

    def __deepcopy__(self, memo: dict) -> DjangoCassandraQuerySet:
        # cqlengine copies a cached count into clones (filter(), limit()...), where it is wrong.
        clone = super().__deepcopy__(memo)
        clone._count = None
        return clone

    # Manager-like surface
    def get_queryset(self) -> DjangoCassandraQuerySet:
        return self.all()

    def _clone(self) -> DjangoCassandraQuerySet:
        # Django code (the admin's change list) copies querysets with the private _clone().
        return self.all()

    def db_manager(self, using: str | None = None, hints: Any = None) -> DjangoCassandraQuerySet:
        return self.using(using) if using else self

    @property
    def db(self) -> str | None:
        return self._connection or self.model._get_connection()

    @property
    def ordered(self) -> bool:
        return bool(self._order)

    def using(
        self,
        alias: str | None = None,
        *,
        keyspace: str | None = None,
        connection: str | None = None,
    ) -> DjangoCassandraQuerySet:
        """``using('alias')`` selects a Cassandra database (Django style); cqlengine's
        ``using(keyspace=..., connection=...)`` works as before. A positional name that is not a
        Cassandra database is taken as a keyspace, as cqlengine does."""
        if alias is not None:
            if utils.is_cassandra(alias):
                connection = connection or alias
            else:
                keyspace = keyspace or alias
        if connection and not keyspace and not self.model.__keyspace__:
            keyspace = utils.keyspace_for(connection)
        return super().using(keyspace=keyspace, connection=connection)

    # Execution: driver errors become Django database errors
    def _execute(self, statement: Any) -> Any:
        with django_errors():
            return super()._execute(statement)

    # Filtering
    def _translate(self, kwargs: dict[str, Any]) -> list[tuple[str, Any]]:
        """Django lookups as cqlengine filter arguments, as (key, value) pairs: ``range`` gives
        two, which one dict could not hold beside the caller's own ``__gte``."""
        translated = []
        meta = self.model._meta
        for key, value in kwargs.items():
            name, _, lookup = key.partition("__")
            if name == "pk":
                name = meta.pk.name
            column = self.model._columns.get(name)
            if column is None:
                translated.append((key, value))  # cqlengine names the unknown column in its error
            elif lookup == "range":
                low, high = value
                translated.append((f"{name}__gte", temporal.filter_value(column, low)))
                translated.append((f"{name}__lte", temporal.filter_value(column, high)))
            else:
                translated.append(
                    (self._lookup_key(name, lookup), temporal.filter_value(column, value))
                )
        return translated

    def _lookup_key(self, name: str, lookup: str) -> str:
        if not lookup:
            return name
        if lookup in UNSUPPORTED_LOOKUPS:
            raise _not_supported(
                f"the '{lookup}' lookup ({name}__{lookup})", UNSUPPORTED_LOOKUPS[lookup]
            )
        column = self.model._columns.get(name)
        if lookup == "contains" and isinstance(column, columns.Text):
            raise _not_supported(
                f"'{name}__contains'",
                "substring search on text columns (CONTAINS matches elements of collections)",
            )
        op = LOOKUPS.get(lookup, lookup)
        return f"{name}__{op}" if op else name

    def filter(self, *args: Any, **kwargs: Any) -> DjangoCassandraQuerySet:
        self._reject_q_objects(args)
        clone = super().filter(*args)
        for key, value in self._translate(kwargs):
            clone = super(DjangoCassandraQuerySet, clone).filter(**{key: value})
        return clone

    def get(self, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self.filter(*args, **kwargs).get()
        return super().get()

    @staticmethod
    def _reject_q_objects(args: Iterable[Any]) -> None:
        from django.db.models import Q

        if any(isinstance(arg, Q) for arg in args):
            raise _not_supported(
                "Q objects",
                "CQL has no OR and no NOT; chain filter() calls (AND) or run separate queries",
            )

    def exclude(self, **kwargs: Any) -> ReadOnlyDjangoCassandraQuerySet:
        """Rows not matching ``kwargs``, filtered here since CQL has no NOT: this reads every row
        the queryset selects."""
        return ReadOnlyDjangoCassandraQuerySet(list(self), self.model).exclude(**kwargs)

    # Reading
    def exists(self) -> bool:
        if self._result_cache is not None:
            return bool(self._result_cache)
        return self.limit(1).first() is not None

    def __getitem__(self, s: Any) -> Any:
        if (
            isinstance(s, slice)
            and self._result_cache is None
            and s.stop is not None
            and (s.start or 0) >= 0
            and 0 <= s.stop
            and (self._limit is None or s.stop < self._limit)
        ):
            if s.stop == 0:
                return []  # cqlengine leaves LIMIT 0 out, which would read every row
            # Fetch no more rows than the slice needs: LIMIT stop, below cqlengine's default
            # limit (10,000 rows) or the one given.
            return self.limit(s.stop)[s]
        return super().__getitem__(s)

    def _get_result_constructor(self) -> Any:
        # cqlengine's values_list gives the driver's values; give what the model's attributes
        # hold instead (aware timestamps, dates as datetime.date, sets as sets).
        if not self._values_list:
            return super()._get_result_constructor()
        by_db_name = {column.db_field_name: column for column in self.model._columns.values()}
        fields = [(name, by_db_name[name]) for name in self._only_fields]

        def python(row: dict[str, Any], name: str, column: Any) -> Any:
            value = temporal.from_database(column, row[name])
            return column.to_python(value) if value is not None else None

        if self._flat_values_list:
            ((name, column),) = fields
            return lambda row: python(row, name, column)
        return lambda row: [python(row, name, column) for name, column in fields]

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        qs = self.fetch_size(chunk_size) if chunk_size else self
        return iter(qs)

    def values_list(self, *fields: str, flat: bool = False, named: bool = False) -> Any:
        """Rows as lists of values (cqlengine's shape; ``'pk'`` stands for every primary key
        column, as in the original package)."""
        if named:
            raise _not_supported("values_list(named=True)", "use values() instead")
        return super().values_list(*self._real_names(fields), flat=flat)

    def _select_fields(self) -> list[str]:
        try:
            return super()._select_fields()
        except QueryException:
            if not self._only_fields:
                raise
            # Every requested column is restricted by equality, so cqlengine knows its value
            # and fills it in; select the partition key so that each row still comes back.
            return [column.db_field_name for column in self.model._partition_keys.values()]

    def values(self, *fields: str) -> list[dict[str, Any]]:
        names = self._real_names(fields) or list(self.model._columns)
        return [dict(zip(names, row, strict=True)) for row in self.values_list(*names)]

    def _real_names(self, fields: Iterable[str], pk_names: list[str] | None = None) -> list[str]:
        """Field names with ``pk`` replaced: by every primary key column (values_list, as
        the original package did), or by ``pk_names``."""
        pk_names = list(self.model._primary_keys) if pk_names is None else pk_names
        names: list[str] = []
        for field in fields:
            if field in ("pk", "-pk"):
                sign = "-" if field.startswith("-") else ""
                names += [sign + name for name in pk_names]
            else:
                names.append(field)
        return names

    def order_by(self, *colnames: str) -> Any:
        """Ordering by clustering columns, as CQL allows (the partition key must be restricted).
        Other orderings raise NotSupportedError, or, with the setting
        ``CASSANDRA_FALLBACK_ORDER_BY_PYTHON = True``, sort the rows here."""
        if not colnames:
            clone = copy.deepcopy(self)
            clone._order = []
            return clone
        pk_name = [self.model._meta.pk.name]
        if TABLE_ORDER_FOR_PK.get() and list(colnames) in (pk_name, ["pk"]):
            return copy.deepcopy(self)
        names = [name for name in self._real_names(colnames, pk_name) if name != "?"]
        if "?" in colnames:
            raise _not_supported("random ordering (order_by('?'))", "rows come in token order")
        try:
            for name in names:
                self._get_ordering_condition(name)
        except QueryException as exc:
            if getattr(settings, "CASSANDRA_FALLBACK_ORDER_BY_PYTHON", False):
                return ReadOnlyDjangoCassandraQuerySet(list(self), self.model).order_by(*names)
            raise _not_supported(
                f"order_by({', '.join(map(repr, colnames))})",
                f"{exc} (CQL orders rows by clustering columns within one "
                "partition only; set CASSANDRA_FALLBACK_ORDER_BY_PYTHON = True "
                "to sort in Python)",
            ) from exc
        return super().order_by(*names)

    # Writing
    def get_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """Atomic on Cassandra: the insert is a lightweight transaction (IF NOT EXISTS)."""
        try:
            return self.get(**kwargs), False
        except self.model.DoesNotExist:
            pass
        try:
            return self.if_not_exists().create(**kwargs, **(defaults or {})), True
        except LWTException:
            return self.get(**kwargs), False

    def update_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """An upsert: Cassandra writes are inserts-or-updates, so this is one write."""
        created = not self.filter(**kwargs).exists()
        return self.create(**kwargs, **(defaults or {})), created

    def in_bulk(self, id_list: Iterable[Any] | None = None) -> dict[Any, Any]:
        pk_name = self.model._meta.pk.name
        rows = self.filter(**{f"{pk_name}__in": list(id_list)}) if id_list is not None else self
        return {getattr(row, pk_name): row for row in rows}

    # What CQL cannot do
    def _refuse(name: str, why: str):
        def method(self, *args: Any, **kwargs: Any) -> Any:
            raise _not_supported(f"{name}()", why)

        method.__name__ = name
        return method

    annotate = _refuse("annotate", "CQL has no expressions over rows besides aggregates")
    aggregate = _refuse("aggregate", "use count(), or a CQL aggregate through a cursor")
    select_related = _refuse("select_related", "Cassandra has no joins")
    prefetch_related = _refuse("prefetch_related", "Cassandra has no relations")
    extra = _refuse("extra", "CQL is not SQL")
    raw = _refuse("raw", "run CQL with connection.cursor() instead")
    bulk_update = _refuse("bulk_update", "save each object, or use a BatchQuery")
    last = _refuse("last", "Cassandra cannot read a table backwards; order by a clustering column")
    del _refuse


class ReadOnlyDjangoCassandraQuerySet(ModelNames, list):
    """Rows already read, filtered or ordered in Python (for what CQL cannot do); the original
    package's name and constructor (``data, model_class``)."""

    name = "objects"
    use_in_migrations = False

    def __init__(self, data: Iterable[Any], model_class: type) -> None:
        if not isinstance(data, Iterable):
            raise TypeError("ReadOnlyDjangoCassandraQuerySet requires iterable data")
        super().__init__(data)
        self.model = model_class

    @property
    def objects(self) -> ReadOnlyDjangoCassandraQuerySet:
        return self

    def get_queryset(self) -> ReadOnlyDjangoCassandraQuerySet:
        return self

    def _clone(self) -> ReadOnlyDjangoCassandraQuerySet:
        return type(self)(self, self.model)

    def _matches(self, row: Any, kwargs: dict[str, Any]) -> bool:
        for key, value in kwargs.items():
            name, _, lookup = key.partition("__")
            if name == "pk":
                name = self.model._meta.pk.name
            if lookup not in PYTHON_COMPARE:
                raise _not_supported(
                    f"the '{lookup}' lookup here", "only exact, in, gt, gte, lt and lte"
                )
            value = self._as_attribute(name, lookup, value)
            if not PYTHON_COMPARE[lookup](getattr(row, name), value):
                return False
        return True

    def _as_attribute(self, name: str, lookup: str, value: Any) -> Any:
        # Compared with what the rows' attributes hold: "1" for an int column is 1, a datetime
        # in another zone is the same instant.
        column = self.model._columns.get(name)
        if column is None or value is None:
            return value
        if lookup == "in":
            return [column.to_python(item) for item in value]
        return column.to_python(value)

    def filter(self, **kwargs: Any) -> ReadOnlyDjangoCassandraQuerySet:
        rows = [row for row in self if self._matches(row, kwargs)]
        return type(self)(rows, self.model)

    def exclude(self, **kwargs: Any) -> ReadOnlyDjangoCassandraQuerySet:
        rows = [row for row in self if not self._matches(row, kwargs)]
        return type(self)(rows, self.model)

    def order_by(self, *names: str) -> ReadOnlyDjangoCassandraQuerySet:
        rows = list(self)
        for name in reversed(names):  # stable sorts, least significant key first
            reverse = name.startswith("-")
            attr = name.lstrip("-")
            attr = self.model._meta.pk.name if attr == "pk" else attr
            rows.sort(
                key=lambda row: (getattr(row, attr) is None, getattr(row, attr)), reverse=reverse
            )
        return type(self)(rows, self.model)

    def all(self) -> ReadOnlyDjangoCassandraQuerySet:
        return self

    def count(self) -> int:
        return len(self)

    def exists(self) -> bool:
        return bool(self)

    def first(self) -> Any:
        return self[0] if self else None

    # The async API over rows already read
    def __aiter__(self) -> Any:
        return _rows_async(list(self))

    async def acount(self) -> int:
        return self.count()

    async def aexists(self) -> bool:
        return self.exists()

    async def afirst(self) -> Any:
        return self.first()

    def values_list(self, *fields: str, flat: bool = False) -> list[Any]:
        names: list[str] = []
        for field in fields:
            names += list(self.model._primary_keys) if field == "pk" else [field]
        rows = [[getattr(row, name) for name in names] for row in self]
        return [value for row in rows for value in row] if flat else rows


async def _rows_async(rows: list[Any]) -> Any:
    for row in rows:
        yield row


class DjangoCassandraDMLQuery(DMLQuery):
    """cqlengine's write path, raising Django database errors."""

    def _execute(self, statement: Any) -> Any:
        with django_errors():
            return super()._execute(statement)


ResultList = ReadOnlyDjangoCassandraQuerySet
