"""``DjangoCassandraModelSerializer``: a DRF ModelSerializer for DjangoCassandraModel.

Every column gets a serializer field of its type: the Django field kinds in ``Model._meta``
(UUID, integers, text, timestamps...) map as for Django models; collections become lists
(sets read back as sets) and dicts, tuples lists, user types objects, and the driver's date and
time values ISO strings. Every primary key column is a field (composite keys included); a
generated key (a column with a default) is read-only. Cassandra writes are upserts, so no
uniqueness validators are added: ``create()`` on an existing key overwrites that row.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from django_cassandra_engine.rest.fields import column_field_spec, is_special


class DjangoCassandraModelSerializer(serializers.ModelSerializer):
    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict]:
        column = getattr(model_field, "cql_column", None)
        if column is not None and is_special(column):
            field_class, kwargs = column_field_spec(column)
            return field_class, {**kwargs, **self._column_kwargs(model_field)}
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        validators = [v for v in kwargs.get("validators", ()) if not isinstance(v, UniqueValidator)]
        if validators:
            kwargs["validators"] = validators
        else:
            kwargs.pop("validators", None)
        return field_class, kwargs

    @staticmethod
    def _column_kwargs(model_field: Any) -> dict[str, Any]:
        if not model_field.editable:
            return {"read_only": True}
        kwargs: dict[str, Any] = {}
        if model_field.has_default() or model_field.blank or model_field.null:
            kwargs["required"] = False
        if model_field.null:
            kwargs["allow_null"] = True
        if model_field.help_text:
            kwargs["help_text"] = model_field.help_text
        return kwargs

    def get_unique_together_validators(self) -> list:
        return []
