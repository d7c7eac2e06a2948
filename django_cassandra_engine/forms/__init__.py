"""Form fields for Cassandra column types Django has none for (see fields.py)."""

from django_cassandra_engine.forms.fields import (
    CqlJSONField,
    ItemsField,
    KeyValueField,
    StructuredField,
    TimeUUIDField,
    formfield_class_for,
)
from django_cassandra_engine.forms.widgets import KeyValueWidget, StructuredWidget

__all__ = [
    "CqlJSONField",
    "ItemsField",
    "KeyValueField",
    "KeyValueWidget",
    "StructuredField",
    "StructuredWidget",
    "TimeUUIDField",
    "formfield_class_for",
]
