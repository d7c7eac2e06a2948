"""The admin's change list over a cqlengine queryset: no SQL ordering, joins or Q objects."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.filters import DateFieldListFilter, FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import NotSupportedError

from django_cassandra_engine.models.queryset import UNSUPPORTED_LOOKUPS


class CassandraPaginator(Paginator):
    """Pages with the queryset's COUNT and slicing (LIMIT).

    Rows come in token order, which is stable between requests, so pages do not overlap even
    though the queryset is not ordered; Django's warning about unordered pagination would only
    be noise.
    """

    def _check_object_list_is_ordered(self) -> None:
        pass


class CassandraDateFieldListFilter(DateFieldListFilter):
    """Django's date filter (today, past 7 days, this month, this year: ranges in the current
    time zone) without "No date" and "Has date", which need IS NULL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.links = tuple(
            (title, lookups)
            for title, lookups in self.links
            if not any(key.endswith("__isnull") for key in lookups)
        )

    def expected_parameters(self) -> list[str]:
        return [self.lookup_kwarg_since, self.lookup_kwarg_until]


def cql_value(model: type, lookup: str, value: Any) -> Any:
    """A query string value as the column's Python value (``"1"`` for an int column is 1)."""
    field = model._meta.get_field(lookup.split("__", 1)[0])
    if isinstance(value, list):
        return [field.to_python(item) for item in value]
    return field.to_python(value)


def apply_lookups(queryset: Any, params: dict[str, Any]) -> Any:
    """``queryset.filter()`` for admin lookup parameters (Django 5 gives lists of values)."""
    for key, value in params.items():
        lookup = key.rpartition("__")[2]
        if lookup in UNSUPPORTED_LOOKUPS:  # before converting: isnull's value is a boolean
            raise NotSupportedError(f"The '{lookup}' lookup: {UNSUPPORTED_LOOKUPS[lookup]}.")
        if isinstance(value, list):
            if len(value) != 1:
                key, value = f"{key.split('__', 1)[0]}__in", value
            else:
                value = value[0]
        queryset = queryset.filter(**{key: cql_value(queryset.model, key, value)})
    return queryset


class CassandraChangeList(ChangeList):
    def get_queryset(self, request: Any, exclude_parameters: Any = None) -> Any:
        (
            self.filter_specs,
            self.has_filters,
            remaining_lookup_params,
            _,
            self.has_active_filters,
        ) = self.get_filters(request)
        qs = self.root_queryset
        try:
            for spec in self.filter_specs:
                if exclude_parameters is not None and (
                    spec.expected_parameters() == exclude_parameters
                ):
                    continue
                if isinstance(spec, FieldListFilter):
                    # Django's own field filters build Q objects, which CQL cannot express.
                    qs = apply_lookups(qs, spec.used_parameters)
                else:
                    qs = spec.queryset(request, qs) or qs
            qs = apply_lookups(qs, remaining_lookup_params)
        except (ValidationError, ValueError, NotSupportedError, FieldDoesNotExist) as exc:
            # A hand-made query string CQL cannot answer: the admin shows the list with ?e=1.
            raise IncorrectLookupParameters(exc) from exc
        ordering = self.get_ordering(request, qs)
        if ordering:
            qs = qs.order_by(*ordering)
        qs, _ = self.model_admin.get_search_results(request, qs, self.query)
        self.clear_all_filters_qs = self.get_query_string(
            new_params=remaining_lookup_params, remove=self.get_filters_params()
        )
        return qs

    def get_ordering(self, request: Any, queryset: Any) -> list[str]:
        # Only the ordering the ModelAdmin asks for (CQL orders by clustering columns within a
        # partition); no column headers to click and no "-pk" tie-breaker, which CQL refuses.
        return list(self.model_admin.get_ordering(request) or ())

    def get_ordering_field_columns(self) -> dict[int, str]:
        return {}

    def get_results(self, request: Any) -> None:
        if isinstance(self.queryset, list):
            # A search over several fields: rows already merged here (CQL has no OR).
            self.queryset = _ListQuerySet(self.queryset)
        super().get_results(request)


class _ListQuerySet(list):
    """Rows in a list, with the two queryset methods the change list calls."""

    def count(self) -> int:
        return len(self)

    def _clone(self) -> _ListQuerySet:
        return self
