import uuid

from cassandra.cqlengine import columns
from django.utils import timezone

from django_cassandra_engine.models import DjangoCassandraModel

CATEGORIES = [(1, "Idea"), (2, "Task"), (3, "Reference")]


class Note(DjangoCassandraModel):
    """One row per note. Cassandra keeps rows in the order of their partition key's token, so
    the list pages through notes in that order; category and tags have secondary indexes, which
    the filters use (WHERE category = ..., WHERE tags CONTAINS ...)."""

    note_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    category = columns.Integer(index=True, default=1)
    title = columns.Text(max_length=100)
    body = columns.Text(required=False)
    tags = columns.Set(columns.Text, index=True)
    created_at = columns.DateTime(default=timezone.now)

    class Meta:
        field_options = {
            "category": {"choices": CATEGORIES},
            "created_at": {"editable": False, "verbose_name": "written"},
        }

    def __str__(self):
        return self.title

    def sorted_tags(self):
        return sorted(self.tags)
