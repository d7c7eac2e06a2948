from django.core.management.commands.loaddata import Command as LoadDataCommand

from django_cassandra_engine.errors import django_errors
from django_cassandra_engine.models import DjangoCassandraModel
from django_cassandra_engine.models.discovery import database_of
from django_cassandra_engine.models.fields import CollectionField


class Command(LoadDataCommand):
    """Django's ``loaddata``, which also loads fixtures of DjangoCassandraModel rows into their
    database (``--database``, default "default"), as Django loads each database's models:
    each row is written with cqlengine (an upsert: a row with the same primary key is replaced).
    """

    def save_obj(self, obj) -> bool:
        row = obj.object
        if not isinstance(row, DjangoCassandraModel):
            return super().save_obj(obj)
        if row._meta.app_config in self.excluded_apps or type(row) in self.excluded_models:
            return False
        if database_of(type(row)) != self.using:
            return False  # loaded by `loaddata --database` of its own database
        self.models.add(type(row))
        for field in row._meta.local_fields:
            if isinstance(field, CollectionField):
                # The XML deserializer hands JSON data to the model as it is.
                setattr(row, field.attname, field.to_python(getattr(row, field.attname)))
        try:
            with django_errors():
                row.save()
        except Exception as exc:
            exc.args = (f"Could not load {row._meta.label}(pk={row.pk}): {exc}",)
            raise
        return True
