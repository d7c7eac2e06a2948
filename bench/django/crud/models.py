"""Ten models for the test-run benchmark."""

import uuid

from cassandra.cqlengine import columns

from django_cassandra_engine.models import DjangoCassandraModel


class Model0(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model1(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model2(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model3(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model4(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model5(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model6(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model7(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model8(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()


class Model9(DjangoCassandraModel):
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    kind = columns.Integer(index=True)
    name = columns.Text()
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()
