import uuid

from cassandra.cqlengine import columns
from cassandra.cqlengine.models import Model
from cassandra.cqlengine.usertype import UserType
from django.db import models as sql_models

from django_cassandra_engine.models import DjangoCassandraModel


class ExampleModel(DjangoCassandraModel):
    example_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    example_type = columns.Integer(index=True)
    created_at = columns.DateTime()
    description = columns.Text(required=False)

    class Meta:
        field_options = {
            "example_type": {"choices": [(1, "one"), (2, "two")], "verbose_name": "kind"},
            "description": {"help_text": "What it is"},
        }


class Reading(DjangoCassandraModel):
    """A time series: partition key sensor, clustering key taken_at (newest first)."""

    sensor = columns.Text(partition_key=True)
    taken_at = columns.DateTime(primary_key=True, clustering_order="DESC")
    value = columns.Double()
    note = columns.Text(max_length=20, required=False)

    class Meta:
        get_pk_field = "taken_at"


class Address(UserType):
    street = columns.Text()
    zipcode = columns.Integer()


class Profile(DjangoCassandraModel):
    username = columns.Text(primary_key=True)
    tags = columns.Set(columns.Text)
    scores = columns.List(columns.Integer)
    attributes = columns.Map(columns.Text, columns.Text)
    address = columns.UserDefinedType(Address, required=False)
    active = columns.Boolean(default=True)
    birthday = columns.Date(required=False)


class Appointment(DjangoCassandraModel):
    """Date and time columns of each kind: partition key calendar, clustering key a timeuuid."""

    calendar = columns.Text(partition_key=True)
    appointment_id = columns.TimeUUID(primary_key=True, default=uuid.uuid1)
    starts_at = columns.DateTime()
    day = columns.Date(required=False)
    at = columns.Time(required=False)
    reminders = columns.List(columns.DateTime)

    class Meta:
        get_pk_field = "appointment_id"


class Catalog(DjangoCassandraModel):
    """Collections of each shape, for the form field tests."""

    name = columns.Text(primary_key=True)
    flags = columns.List(columns.Boolean)
    days = columns.Set(columns.Date)
    ids = columns.List(columns.UUID)
    prices = columns.Map(columns.Text, columns.Decimal)
    counts = columns.Map(columns.Integer, columns.Integer)
    pair = columns.Tuple(columns.Integer, columns.Text)
    grid = columns.List(columns.List(columns.Integer))
    branches = columns.List(columns.UserDefinedType(Address))


class SecondDatabaseNote(DjangoCassandraModel):
    """Stored in the 'cassandra2' database."""

    __connection__ = "cassandra2"

    note_id = columns.TimeUUID(primary_key=True, default=uuid.uuid1)
    text = columns.Text()


class KeyspaceBoundNote(DjangoCassandraModel):
    """Bound to the keyspace of 'cassandra2' by name (follows it to its test keyspace)."""

    __keyspace__ = "dce_second"

    note_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class PlainCqlengineModel(Model):
    """A plain cqlengine model: synced and usable on the default Cassandra database."""

    key = columns.Text(primary_key=True)
    value = columns.Integer()


class SqlNote(sql_models.Model):
    """An ordinary Django model, routed to SQLite."""

    text = sql_models.CharField(max_length=100)

    class Meta:
        app_label = "testapp"
