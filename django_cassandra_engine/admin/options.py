"""CassandraAdminMixin: what a ModelAdmin does differently for a DjangoCassandraModel."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import NotSupportedError, models
from django.utils.text import capfirst

from django_cassandra_engine.admin.changelist import (
    CassandraChangeList,
    CassandraDateFieldListFilter,
    CassandraPaginator,
)
from django_cassandra_engine.forms import ItemsField

# Field kinds whose admin list filters look rows up by value (exact, or a date range): CQL
# can (with ALLOW FILTERING). Other fields' filters first list the column's distinct values,
# which CQL cannot select (SELECT DISTINCT is for partition keys).
FILTERABLE_FIELDS = (models.BooleanField, models.DateField)


def _check(msg: str, hint: str, obj: Any, number: int) -> checks.Error:
    return checks.Error(msg, hint=hint, obj=obj, id=f"django_cassandra_engine.E{number:03d}")


class CassandraAdminMixin:
    """Change list paging with COUNT and LIMIT, filters and searches by exact value (ALLOW
    FILTERING), no sortable columns, and deletion without Django's relation collector."""

    paginator = CassandraPaginator
    if hasattr(admin, "ShowFacets"):  # Django 5.0+
        # Facet counts are one aggregate per filter choice, built from Q objects.
        show_facets = admin.ShowFacets.NEVER

    def get_changelist(self, request: Any, **kwargs: Any) -> type:
        return CassandraChangeList

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, ItemsField):
            # The admin's width for one-line text (it styles its own text widgets so).
            formfield.widget.attrs.setdefault("class", "vTextField")
        return formfield

    def get_list_filter(self, request: Any) -> Any:
        # Date columns get a date filter without "No date"/"Has date" (CQL has no IS NULL).
        return [
            (item, CassandraDateFieldListFilter)
            if isinstance(item, str) and isinstance(self._field_or_none(item), models.DateField)
            else item
            for item in super().get_list_filter(request)
        ]

    def _field_or_none(self, name: str) -> Any:
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def get_sortable_by(self, request: Any) -> tuple[str, ...]:
        # CQL orders by clustering columns within one partition only.
        return ()

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> tuple[Any, bool]:
        """Rows whose ``=field`` equals the whole search term. CQL has no OR, so with several
        fields each is queried and the rows are merged here."""
        term = search_term.strip()
        fields = self.get_search_fields(request)
        if not term or not fields:
            return queryset, False
        matches = []
        for name in fields:
            if not name.startswith("="):
                raise NotSupportedError(_search_field_message(name))
            field = self.model._meta.get_field(name[1:])
            try:
                value = field.to_python(term)
            except ValidationError:
                continue  # a term that is no value of this column matches no row
            matches.append(queryset.filter(**{field.name: value}))
        if len(matches) == 1:
            return matches[0], False
        rows = {row.pk: row for match in matches for row in match}
        return list(rows.values()), False

    def get_deleted_objects(self, objs: Any, request: Any) -> tuple[list, dict, set, list]:
        # Cassandra models have no relations, so deleting a row deletes only that row.
        objs = list(objs)
        opts = self.model._meta
        deleted = [f"{capfirst(opts.verbose_name)}: {obj}" for obj in objs]
        perms_needed = set() if self.has_delete_permission(request) else {opts.verbose_name}
        return deleted, {opts.verbose_name_plural: len(objs)}, perms_needed, []

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_cassandra()]

    def _check_cassandra(self) -> list[checks.CheckMessage]:
        errors = []
        model = self.model
        if len(model._primary_keys) > 1:
            errors.append(
                _check(
                    f"The admin cannot edit {model.__name__}: its primary key has several "
                    f"columns ({', '.join(model._primary_keys)}) and admin URLs name a row by "
                    "one value.",
                    "Edit it from your own views, or unregister it from the admin.",
                    self,
                    101,
                )
            )
        for name in self.search_fields:
            if not name.startswith("="):
                errors.append(_check(_search_field_message(name), "", self, 102))
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
            if isinstance(item, str):
                field = model._meta.get_field(item)
                if not (field.flatchoices or isinstance(field, FILTERABLE_FIELDS)):
                    errors.append(
                        _check(
                            f"list_filter '{item}' is not supported for Cassandra models: its "
                            "filter lists the column's distinct values, which CQL cannot "
                            "select (SELECT DISTINCT is for partition keys only).",
                            "Give the column choices in Meta.field_options, or write a "
                            "SimpleListFilter with lookups of your own.",
                            self,
                            104,
                        )
                    )
        return errors


def _search_field_message(name: str) -> str:
    return (
        f"search_fields entry '{name}' is not supported for Cassandra models: CQL has no "
        f"substring or case-insensitive search; use '={name.lstrip('^=@')}' (exact match)."
    )


class CassandraModelAdmin(CassandraAdminMixin, admin.ModelAdmin):
    """A ModelAdmin for DjangoCassandraModel; plain ModelAdmin subclasses registered for one
    get the same behaviour (see registration.py)."""
