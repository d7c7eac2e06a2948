import uuid

from cassandra.cqlengine.models import Model
from cassandra.cqlengine.usertype import UserType
from django.db import models

from django_cassandra_engine.compat import columns
from django_cassandra_engine.models import DjangoCassandraModel


class Dimensions(UserType):
    width = columns.Integer()
    height = columns.Integer()


class Product(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    name = columns.Text(required=True)
    price = columns.Decimal()
    tags = columns.Set(columns.Text)
    sizes = columns.List(columns.Integer)
    attributes = columns.Map(columns.Text, columns.Text)
    dimensions = columns.UserDefinedType(Dimensions, required=False)
    created_at = columns.DateTime()


class PriceChange(DjangoCassandraModel):
    product_id = columns.UUID(partition_key=True)
    changed_at = columns.DateTime(primary_key=True, clustering_order="DESC")
    price = columns.Decimal()

    class Meta:
        get_pk_field = "changed_at"


class ArchivedOrder(DjangoCassandraModel):
    __connection__ = "archive"
    order_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    total = columns.Decimal()


class Counter(Model):
    """A plain cqlengine model in the default database."""

    name = columns.Text(primary_key=True)
    hits = columns.Counter()


class Order(models.Model):
    """An ordinary Django model in SQLite."""

    product_id = models.UUIDField()
    quantity = models.IntegerField()
