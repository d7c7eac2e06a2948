"""Django's own cache backend tests (tests/cache/tests.py of Django's source distribution, the
``BaseCacheTests`` every built-in backend runs) against CassandraCache on the suite's target.

What does not apply, as Django excludes it for memcached: culling (MAX_ENTRIES and
CULL_FREQUENCY; Cassandra expires entries by TTL and never culls), so the cull caches are left
out and Django's cull tests skip with their own reason ("Culling isn't implemented.").
"""

from cache.tests import BaseCacheTests, caches_setting_for_tests
from django.core.management import call_command
from django.test import TestCase, override_settings

CASSANDRA_CACHE = {
    "BACKEND": "django_cassandra_engine.cache.CassandraCache",
    "LOCATION": "django_cache_tests",
    "OPTIONS": {"database": "cassandra"},
}


@override_settings(
    CACHES=caches_setting_for_tests(exclude={"cull", "zero_cull"}, **CASSANDRA_CACHE)
)
class CassandraCacheTests(BaseCacheTests, TestCase):
    databases = {"default", "cassandra"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()  # applies the CACHES override
        call_command("createcachetable", database="cassandra", verbosity=0)
