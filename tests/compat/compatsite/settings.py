"""Settings as a django-cassandra-engine 1.x project writes them: Cassandra as the default
database, a second Cassandra database with the driver's schema metadata off, SQLite beside them
for Django's own apps. CQL_TARGET=cqld (default) uses the embedded server; CQL_TARGET=cassandra
the node at CASSANDRA_HOST:CASSANDRA_PORT."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "compat-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = False
TARGET = os.environ.get("CQL_TARGET", "cqld")

INSTALLED_APPS = [
    "django_cassandra_engine",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django_cassandra_engine.sessions",
    "rest_framework",
    "shop",
]


def cassandra(name, **connection):
    database = {
        "ENGINE": "django_cassandra_engine",
        "NAME": name,
        "TEST_NAME": "test_" + name,
        "OPTIONS": {
            "replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1},
            "connection": {"connect_timeout": 30, **connection},
            "session": {"default_timeout": 60},
        },
    }
    if TARGET == "cassandra":
        database.update(
            HOST=os.environ.get("CASSANDRA_HOST", "127.0.0.1"),
            PORT=int(os.environ.get("CASSANDRA_PORT", "19042")),
            USER=os.environ.get("CASSANDRA_USER", ""),
            PASSWORD=os.environ.get("CASSANDRA_PASSWORD", ""),
        )
    return database


DATABASES = {
    "default": cassandra("compat_shop"),
    "archive": cassandra("compat_archive", schema_metadata_enabled=False),
    "sql": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "compat.sqlite3"},
}
DATABASE_ROUTERS = ["compatsite.routers.Router"]

SESSION_ENGINE = "django_cassandra_engine.sessions.backends.cached_db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "compatsite.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
