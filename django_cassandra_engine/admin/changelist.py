"""The admin's change list over a cqlengine queryset: no SQL ordering, joins or Q objects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.filters import DateFieldListFilter, FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import NotSupportedError
from django.urls import reverse

from django_cassandra_engine.admin import ordering
from django_cassandra_engine.models.queryset import (
    UNSUPPORTED_LOOKUPS,
    ReadOnlyDjangoCassandraQuerySet,
)


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


PAGE_SORT_MESSAGE = (
    "Sorted within this page only: Cassandra orders rows by their clustering columns, within "
    "one partition. Filter the list to one partition to sort by those across pages."
)


class CassandraChangeList(ChangeList):
    """Filters and searches as queryset filters (or in Python, see search.py); sorts with CQL
    where it can order (clustering columns, one partition), else sorts each page in Python."""

    # Orderings CQL cannot give, applied to each page's rows (see get_results).
    page_ordering: list[str] = []

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
        qs, _ = self.model_admin.get_search_results(request, qs, self.query)
        self.clear_all_filters_qs = self.get_query_string(
            new_params=remaining_lookup_params, remove=self.get_filters_params()
        )
        return self._ordered(qs, self.get_ordering(request, qs))

    def _ordered(self, qs: Any, names: list[str]) -> Any:
        names = ordering.field_names(self.model, names)
        self.page_ordering = []
        if not names:
            return qs
        if isinstance(qs, ReadOnlyDjangoCassandraQuerySet):
            # Every result is already here (a search): sort them all.
            return type(qs)(ordering.sort_rows(qs, names), qs.model)
        if ordering.cql_can_order(qs, names):
            return qs.order_by(*names)
        self.page_ordering = names
        return qs

    def get_ordering(self, request: Any, queryset: Any) -> list[str]:
        """Django's choice of ordering (the ``o`` parameter, else the ModelAdmin's, else the
        model's), without the ``-pk`` tie-breaker Django adds for SQL."""
        chosen = list(self.model_admin.get_ordering(request) or self._get_default_ordering())
        if not self.params.get(ORDER_VAR):
            return chosen
        chosen = []
        for part in self.params[ORDER_VAR].split("."):
            _, prefix, index = part.rpartition("-")
            try:
                order_field = self.get_ordering_field(self.list_display[int(index)])
            except (IndexError, ValueError):
                continue  # a hand-made parameter: ignored, as Django does
            if not isinstance(order_field, str):
                continue  # not sortable, or an SQL expression
            if prefix == "-" and order_field.startswith("-"):
                chosen.append(order_field[1:])
            else:
                chosen.append(prefix + order_field)
        return chosen

    def get_results(self, request: Any) -> None:
        super().get_results(request)
        if not self.page_ordering:
            return
        self.result_list = ordering.sort_rows(self.result_list, self.page_ordering)
        if self.multi_page and not (self.show_all and self.can_show_all):
            messages.info(request, PAGE_SORT_MESSAGE, fail_silently=True)

    def url_for_result(self, result: Any) -> str:
        # result.pk: the row key for a composite primary key (see keys.py).
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(quote(result.pk),),
            current_app=self.model_admin.admin_site.name,
        )
