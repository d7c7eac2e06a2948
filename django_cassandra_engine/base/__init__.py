"""The Django database backend: Django imports ``<ENGINE>.base`` and uses its DatabaseWrapper."""

from django_cassandra_engine.base.wrapper import DatabaseWrapper

__all__ = ["DatabaseWrapper"]
