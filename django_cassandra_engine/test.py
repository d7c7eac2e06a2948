"""``django_cassandra_engine.test.TestCase``: a test case using every Cassandra database.

Cassandra has no transactions to roll back, so each test's rows are removed afterwards by
truncating the tables that hold any (``flush``), as Django's TestCase does for databases without
transactions. It is a ``django.test.TestCase``, as the original package's was (``fixtures``
load before each test; ``setUpTestData`` needs transactions and is not run).
"""

from django.conf import settings
from django.test import TestCase as DjangoTestCase

from django_cassandra_engine import ENGINE


def _cassandra_aliases() -> set[str]:
    return {alias for alias, db in settings.DATABASES.items() if db.get("ENGINE") == ENGINE}


class TestCase(DjangoTestCase):
    databases = _cassandra_aliases()
