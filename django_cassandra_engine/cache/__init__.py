"""A Django cache backend on Cassandra: ``django_cassandra_engine.cache.CassandraCache``."""

from django_cassandra_engine.cache.backend import CassandraCache

__all__ = ["CassandraCache"]
