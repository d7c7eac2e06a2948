"""Django's SQL compilers, refusing clearly: a Cassandra database stores DjangoCassandraModel
(cqlengine) models only, whose queries are CQL built by cqlengine."""

from django.db import NotSupportedError


class SQLCompiler:
    def __init__(self, query, connection, using, elide_empty=True) -> None:
        raise NotSupportedError(
            f"{query.model._meta.label} is a Django ORM model; the Cassandra database "
            f"'{using}' stores DjangoCassandraModel models only. Route this model to a SQL "
            "database with a database router (DATABASE_ROUTERS)."
        )


SQLInsertCompiler = SQLDeleteCompiler = SQLUpdateCompiler = SQLAggregateCompiler = SQLCompiler
