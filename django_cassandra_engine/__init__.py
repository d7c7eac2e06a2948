"""Django Cassandra Engine: a Django database backend for Apache Cassandra, ScyllaDB and Astra.

Settings: ``'ENGINE': 'django_cassandra_engine'``. With no ``HOST`` (or ``'embedded'``) the backend
runs on an embedded cqld server; see README.md.
"""

__version__ = "2.0.0"

ENGINE = "django_cassandra_engine"
