"""Settings of the backend's test project.

The Cassandra databases point at the target chosen by the environment, following the
conventions of tests/conftest.py: ``CQL_TARGET`` (or the first of ``CQL_TARGETS``) is ``cqld``
(the embedded default: no HOST) or ``cassandra`` (CASSANDRA_HOST, default 127.0.0.1;
CASSANDRA_PORT, default 19042; CASSANDRA_USER/CASSANDRA_PASSWORD). On a cluster (make test-cluster)
CASSANDRA_HOST names several nodes, CASSANDRA_REPLICATION_FACTOR the keyspaces' replication factor
(default 1) and CASSANDRA_CONSISTENCY the consistency level of every request (a name such as
QUORUM; default: the driver's, LOCAL_ONE), and reads that time out while a node that died is not
yet known to be down are sent again (django_cassandra_engine.policies.RetryReads).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "tests-only"
DEBUG = False
USE_TZ = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]

TARGET = os.environ.get("CQL_TARGET") or os.environ.get("CQL_TARGETS", "cqld").split(",")[0].strip()

INSTALLED_APPS = [
    "django_cassandra_engine",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",  # the admin's CSS and JavaScript, for the browser tests
    "django_cassandra_engine.sessions",
    "rest_framework",
    "testapp",
    "ormapp",
]


# CQL_AUTH=password: run with authentication and authorization (make auth-test). On cqld the
# embedded server is started with them; on Cassandra the node must have them (CASSANDRA_USER).
AUTH = os.environ.get("CQL_AUTH") == "password"
SUPERUSER_PASSWORD = "test-superuser-pw"

REPLICATION_FACTOR = int(os.environ.get("CASSANDRA_REPLICATION_FACTOR", "1"))
CONSISTENCY = os.environ.get("CASSANDRA_CONSISTENCY", "")


ON_CLUSTER = TARGET == "cassandra" and "," in os.environ.get("CASSANDRA_HOST", "")


def consistency_options() -> tuple[dict, dict]:
    """The connection and session options that make cqlengine's queries and the session's own
    statements use CASSANDRA_CONSISTENCY; on a cluster, also the retry policy for reads."""
    connection, session = {}, {}
    if CONSISTENCY:
        from cassandra import ConsistencyLevel

        level = ConsistencyLevel.name_to_value[CONSISTENCY.upper()]
        connection["consistency"], session["default_consistency_level"] = level, level
    if ON_CLUSTER:
        from django_cassandra_engine.policies import RetryReads

        connection["default_retry_policy"] = RetryReads()
    return connection, session


def cluster_options() -> dict:
    """The OPTIONS of this run's replication factor, consistency level and retry policy."""
    options = {
        "replication": {
            "strategy_class": "SimpleStrategy",
            "replication_factor": REPLICATION_FACTOR,
        }
    }
    connection, _ = consistency_options()
    if connection:
        options["connection"] = connection
    return options


# For the Django projects that tests start in subprocesses: on a cluster they must survive a
# node down as this one does (a setting, as Django's settings object holds only upper case).
# Written out as code (repr) after SETTINGS_IMPORTS.
CLUSTER_OPTIONS = cluster_options()
SETTINGS_IMPORTS = "from django_cassandra_engine.policies import RetryReads\n"


def cassandra_database(name: str, **connection_options) -> dict:
    connection_consistency, session_consistency = consistency_options()
    database = {
        "ENGINE": "django_cassandra_engine",
        "NAME": name,
        "OPTIONS": {
            "replication": {
                "strategy_class": "SimpleStrategy",
                "replication_factor": REPLICATION_FACTOR,
            },
            "connection": {"connect_timeout": 30, **connection_consistency, **connection_options},
            "session": {"default_timeout": 60, **session_consistency},
        },
    }
    if TARGET == "cqld" and AUTH:
        # The embedded server with a production's authentication (make auth-test): the backend
        # logs in as the superuser that a fresh server creates with this password.
        database["OPTIONS"]["embedded"] = {
            "authenticator": "password",
            "authorizer": "cassandra",
            "superuser_password": SUPERUSER_PASSWORD,
        }
        database["USER"], database["PASSWORD"] = "cassandra", SUPERUSER_PASSWORD
    if TARGET == "cassandra":
        database["HOST"] = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
        database["PORT"] = int(os.environ.get("CASSANDRA_PORT", "19042"))
        database["USER"] = os.environ.get("CASSANDRA_USER", "")
        database["PASSWORD"] = os.environ.get("CASSANDRA_PASSWORD", "")
    return database


DATABASES = {
    "default": cassandra_database("dce_main"),
    # With the driver's schema metadata off, as some deployments run (sync, flush and test
    # keyspaces must still work).
    "cassandra2": cassandra_database("dce_second", schema_metadata_enabled=False),
    "sql": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "sql.sqlite3"},
}
DATABASE_ROUTERS = ["testproject.routers.SqlModelsRouter"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Its table is created in the test keyspace by the test run's migrate (sync_cassandra).
    "cassandra": {
        "BACKEND": "django_cassandra_engine.cache.CassandraCache",
        "LOCATION": "django_cache",
    },
}

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "testproject.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "static/"
