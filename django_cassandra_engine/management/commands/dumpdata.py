from django.apps import apps
from django.core.management.commands.dumpdata import Command as DumpDataCommand

from django_cassandra_engine.models.discovery import database_of
from django_cassandra_engine.models.queryset import TABLE_ORDER_FOR_PK


class Command(DumpDataCommand):
    """Django's ``dumpdata``, which also dumps DjangoCassandraModel rows: those of the models
    stored in ``--database`` (default "default"), as Django dumps each database's models.
    Django orders each table by primary key; CQL cannot sort a whole table, so Cassandra rows
    come in the table's own order: partitions in token order, rows in clustering order within
    each (the same from one run to the next)."""

    def handle(self, *app_labels, **options):
        options["exclude"] = [*options["exclude"], *_stored_elsewhere(options["database"])]
        token = TABLE_ORDER_FOR_PK.set(True)
        try:
            return super().handle(*app_labels, **options)
        finally:
            TABLE_ORDER_FOR_PK.reset(token)


def _stored_elsewhere(database: str) -> list[str]:
    """Labels of the Cassandra models whose rows are in another database than ``database``."""
    from django_cassandra_engine.models import DjangoCassandraModel

    return [
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, DjangoCassandraModel) and database_of(model) != database
    ]
