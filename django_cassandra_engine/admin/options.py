"""CassandraAdminMixin: what a ModelAdmin does differently for a DjangoCassandraModel."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst, get_text_list

from django_cassandra_engine.admin import keys, search
from django_cassandra_engine.admin.changelist import (
    CassandraChangeList,
    CassandraDateFieldListFilter,
    CassandraPaginator,
)
from django_cassandra_engine.admin.filters import PartitionKeyListFilter, is_partition_key
from django_cassandra_engine.forms import ItemsField
from django_cassandra_engine.models.queryset import DjangoCassandraQuerySet

# Field kinds whose admin list filters look rows up by value (exact, or a date range): CQL
# can (with ALLOW FILTERING). Other fields' filters first list the column's distinct values,
# which CQL can select for partition keys only (see filters.py).
FILTERABLE_FIELDS = (models.BooleanField, models.DateField)


def _check(msg: str, hint: str, obj: Any, number: int) -> checks.Error:
    return checks.Error(msg, hint=hint, obj=obj, id=f"django_cassandra_engine.E{number:03d}")


class CassandraAdminMixin:
    """Change list paging with COUNT and LIMIT, filters by value (ALLOW FILTERING), searches
    (exact with CQL, substrings over a bounded scan), sorting by CQL or within a page, rows
    named by their whole primary key, and deletion without Django's relation collector."""

    paginator = CassandraPaginator
    if hasattr(admin, "ShowFacets"):  # Django 5.0+
        # Facet counts are one aggregate per filter choice, built from Q objects.
        show_facets = admin.ShowFacets.NEVER
    # The most rows the admin reads to do what CQL cannot (a substring search, a partition key
    # filter's choices); None: the CASSANDRA_ADMIN_SCAN_LIMIT setting (default 10,000).
    scan_limit: int | None = None

    def __init__(self, model: type, admin_site: Any) -> None:
        # A composite primary key: the admin works with a subclass whose pk is the whole key.
        super().__init__(keys.admin_model(model), admin_site)

    def get_changelist(self, request: Any, **kwargs: Any) -> type:
        return CassandraChangeList

    def get_scan_limit(self) -> int:
        return self.scan_limit if self.scan_limit is not None else search.scan_limit()

    def get_queryset(self, request: Any) -> Any:
        # Unordered: the change list orders (by CQL where it can, else each page in Python).
        return keys.admin_queryset(self.model)

    def get_object(self, request: Any, object_id: str, from_field: str | None = None) -> Any:
        if from_field is not None or not keys.is_composite(self.model):
            return super().get_object(request, object_id, from_field)
        try:
            return self.get_queryset(request).get(**keys.key_values(self.model, object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        # Adding a row whose primary key exists would overwrite it (Cassandra writes are
        # upserts); the add form refuses, as Django's does for a taken primary key.
        return type(form)(form.__name__, (form,), {"clean": _refuse_existing_key})

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if obj is None:
            return fields
        # A row's primary key is which row it is: writing another key would add a row and
        # keep this one.
        return (*fields, *(name for name in self.model._primary_keys if name not in fields))

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, ItemsField):
            # The admin's width for one-line text (it styles its own text widgets so).
            formfield.widget.attrs.setdefault("class", "vTextField")
        return formfield

    def get_list_filter(self, request: Any) -> Any:
        items = []
        for item in super().get_list_filter(request):
            filter_class = self._list_filter_class(item)
            items.append((item, filter_class) if filter_class else item)
        return items

    def _field_or_none(self, name: str) -> Any:
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def _list_filter_class(self, item: Any) -> type | None:
        """Our filter for a column name in list_filter: date columns without "No date"/"Has
        date" (CQL has no IS NULL), partition key columns listing their partitions."""
        field = self._field_or_none(item) if isinstance(item, str) else None
        if isinstance(field, models.DateField):
            return CassandraDateFieldListFilter
        if is_partition_key(self.model, field):
            return PartitionKeyListFilter
        return None

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> tuple[Any, bool]:
        """``=column`` entries: whole-term equality with CQL; other entries: Django's
        case-insensitive word matching over at most the scan limit of rows (see search.py)."""
        term = search_term.strip()
        entries = self.get_search_fields(request)
        if not term or not entries:
            return queryset, False
        limit = self.get_scan_limit()
        result = search.search(queryset, entries, term, limit)
        if result.truncated:
            messages.warning(
                request,
                f"Searched the first {limit:,} {self.opts.verbose_name_plural} only: Cassandra "
                "has no substring search, so the admin reads at most that many rows "
                f"({search.SCAN_LIMIT_SETTING}). Filter the list to search the rest.",
                fail_silently=True,
            )
        return result.rows, False

    def get_deleted_objects(self, objs: Any, request: Any) -> tuple[list, dict, set, list]:
        # Cassandra models have no relations, so deleting a row deletes only that row.
        objs = list(objs)
        opts = self.model._meta
        deleted = [f"{capfirst(opts.verbose_name)}: {obj}" for obj in objs]
        perms_needed = set() if self.has_delete_permission(request) else {opts.verbose_name}
        return deleted, {opts.verbose_name_plural: len(objs)}, perms_needed, []

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        if isinstance(queryset, DjangoCassandraQuerySet) and _selects_partitions(queryset):
            queryset.delete()  # one DELETE: the rows selected on a page are key IN (...)
            return
        # All rows of a list ("select all"), or rows read already: each by its primary key.
        for obj in queryset:
            obj.delete()

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_cassandra()]

    def _check_cassandra(self) -> list[checks.CheckMessage]:
        errors = [*self._check_search_fields()]
        if self.date_hierarchy:
            errors.append(
                _check(
                    "date_hierarchy is not supported for Cassandra models: it needs the distinct "
                    "dates of the column, which CQL cannot select.",
                    "Use list_filter on the date field (a range filter) instead.",
                    self,
                    103,
                )
            )
        for item in self.list_filter:
            if isinstance(item, str) and not self._can_filter(item):
                errors.append(
                    _check(
                        f"list_filter '{item}' is not supported for Cassandra models: its "
                        "filter lists the column's distinct values, which CQL can select for "
                        "partition key columns only.",
                        "Give the column choices in Meta.field_options, or write a "
                        "SimpleListFilter with lookups of your own.",
                        self,
                        104,
                    )
                )
        return errors

    def _check_search_fields(self) -> list[checks.CheckMessage]:
        errors = []
        for entry in self.search_fields:
            name = entry.lstrip("=^@")
            if name not in self.model._columns:
                errors.append(
                    _check(
                        f"search_fields entry '{entry}' names no column of "
                        f"{self.model.__name__}: Cassandra models search their own columns "
                        "(prefixed '=' for an exact match, '^' for the start of a value).",
                        "",
                        self,
                        102,
                    )
                )
        return errors

    def _can_filter(self, name: str) -> bool:
        field = self._field_or_none(name)
        if field is None:
            return True  # Django's own check names unknown fields
        return bool(
            field.flatchoices
            or isinstance(field, FILTERABLE_FIELDS)
            or is_partition_key(self.model, field)
        )


def _refuse_existing_key(form: Any) -> dict[str, Any]:
    cleaned = super(type(form), form).clean()
    model = form._meta.model
    names = list(model._primary_keys)
    if all(cleaned.get(name) is not None for name in names):
        key = {name: keys.query_value(cleaned[name]) for name in names}
        if model.objects.filter(**key).exists():
            labels = get_text_list(
                [capfirst(model._meta.get_field(name).verbose_name) for name in names], "and"
            )
            raise ValidationError(
                f"{capfirst(model._meta.verbose_name)} with this {labels} already exists.",
                code="unique",
            )
    return cleaned


def _selects_partitions(queryset: DjangoCassandraQuerySet) -> bool:
    """Whether the queryset selects whole partitions by their key and nothing else, so that
    one DELETE with its conditions deletes exactly its rows."""
    restricted = {clause.field for clause in queryset._where}
    partition_key = {c.db_field_name for c in queryset.model._partition_keys.values()}
    return restricted == partition_key


class CassandraModelAdmin(CassandraAdminMixin, admin.ModelAdmin):
    """A ModelAdmin for DjangoCassandraModel; plain ModelAdmin subclasses registered for one
    get the same behaviour (see registration.py)."""
