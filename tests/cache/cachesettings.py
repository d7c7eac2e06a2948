"""Settings for Django's own cache tests run against CassandraCache (test_django_cache.py).

Django's tests/cache package comes from Django's source distribution on PyPI (`make
cache-test` downloads it into build/django-tests/<52 or 42>/): its test classes import their
app's models (``cache.models.Poll``, in SQLite here). The Cassandra database points at the
suite's target as in the backend's test project (CQL_TARGET, CASSANDRA_HOST/PORT...).
"""

import os
import sys
from pathlib import Path

import django
from django.core.exceptions import ImproperlyConfigured
from testproject.settings import TARGET, cassandra_database  # noqa: F401 (TARGET: conftest)

ROOT = Path(__file__).resolve().parents[2]
DJANGO_TESTS = Path(
    os.environ.get("DJANGO_TESTS_DIR")
    or ROOT / "build" / "django-tests" / f"{django.VERSION[0]}{django.VERSION[1]}"
)
if not (DJANGO_TESTS / "cache" / "tests.py").exists():
    raise ImproperlyConfigured(
        f"Django's cache tests are not in {DJANGO_TESTS}: run `make cache-test` (it downloads "
        "Django's source distribution from PyPI), or set DJANGO_TESTS_DIR"
    )
sys.path.insert(0, str(DJANGO_TESTS))

SECRET_KEY = "tests-only"
USE_TZ = True
INSTALLED_APPS = [
    "django_cassandra_engine",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "cache",  # Django's tests/cache app (its Poll model)
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "cassandra": cassandra_database("dce_cache"),
}
CACHES = {
    "default": {
        "BACKEND": "django_cassandra_engine.cache.CassandraCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"database": "cassandra"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
