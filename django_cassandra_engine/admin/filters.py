"""List filters that CQL can answer beyond Django's own (choices, booleans, dates)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.filters import AllValuesFieldListFilter, FieldListFilter


def is_partition_key(model: type, field: Any) -> bool:
    return getattr(field, "name", None) in model._partition_keys


class PartitionKeyListFilter(AllValuesFieldListFilter):
    """A filter listing a partition key column's values: ``SELECT DISTINCT`` reads partition
    keys only (one entry per partition, not per row), at most the admin's scan limit of them,
    sorted here. Choosing one restricts the list to that partition, where CQL can also sort by
    the clustering columns."""

    def __init__(
        self, field: Any, request: Any, params: Any, model: type, model_admin: Any, field_path: str
    ) -> None:
        path = self.lookup_kwarg = field_path
        self.lookup_kwarg_isnull = f"{path}__isnull"  # never offered: keys are never null
        self.lookup_val = params.get(path)  # a list of values on Django 5, one on 4.2
        self.lookup_val_isnull = None
        self.empty_value_display = model_admin.get_empty_value_display()
        queryset = model_admin.get_queryset(request)
        self.lookup_choices = partition_key_values(queryset, field, model_admin.get_scan_limit())
        FieldListFilter.__init__(self, field, request, params, model, model_admin, path)

    def expected_parameters(self) -> list[str]:
        return [self.lookup_kwarg]


def partition_key_values(queryset: Any, field: Any, limit: int) -> list[Any]:
    partition_key = list(queryset.model._partition_keys)
    rows = queryset.distinct(partition_key).limit(limit)
    return sorted({getattr(row, field.attname) for row in rows})
