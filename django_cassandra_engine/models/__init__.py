from django_cassandra_engine.models.base import DjangoCassandraModel, DjangoCassandraModelMetaClass
from django_cassandra_engine.models.queryset import (
    DjangoCassandraQuerySet,
    ReadOnlyDjangoCassandraQuerySet,
)

__all__ = [
    "DjangoCassandraModel",
    "DjangoCassandraModelMetaClass",
    "DjangoCassandraQuerySet",
    "ReadOnlyDjangoCassandraQuerySet",
]
