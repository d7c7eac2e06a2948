import uuid

from cassandra.cqlengine import columns

from django_cassandra_engine.models import DjangoCassandraModel


class Note(DjangoCassandraModel):
    note_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    category = columns.Integer(index=True, default=1)
    title = columns.Text(max_length=100)
    body = columns.Text(required=False)
    tags = columns.Set(columns.Text)
    created_at = columns.DateTime()

    class Meta:
        field_options = {
            "category": {"choices": [(1, "Idea"), (2, "Task"), (3, "Reference")]},
            "tags": {"help_text": 'A JSON list, e.g. ["cassandra", "django"]'},
        }

    def __str__(self):
        return self.title
