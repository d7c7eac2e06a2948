"""Settings of the backend's test project.

The Cassandra databases point at the target chosen by the environment, following the
conventions of tests/conftest.py: ``CQL_TARGET`` (or the first of ``CQL_TARGETS``) is ``cqld``
(the embedded default: no HOST) or ``cassandra`` (CASSANDRA_HOST, default 127.0.0.1;
CASSANDRA_PORT, default 19042; CASSANDRA_USER/CASSANDRA_PASSWORD). On a cluster (make test-cluster)
CASSANDRA_HOST names several nodes, CASSANDRA_REPLICATION_FACTOR the keyspaces' replication factor
(default 1) and CASSANDRA_CONSISTENCY the consistency level of every request (a name such as
QUORUM; default: the driver's, LOCAL_ONE), and reads that time out while a node that died is not
yet known to be down are sent again (django_cassandra_engine.policies.RetryReads).

TLS runs (make django-test-tls): CQLD_TLS_DIR names a directory of tests/tls_certs.py's
certificates; the embedded test server then starts with TLS required (OPTIONS['embedded']) and the
databases connect through it, "default" with an ``ssl_context``, "cassandra2" with the original
package's ``ssl_options``. On the cassandra target CASSANDRA_TLS_DIR does the same for a node
started with client encryption (tools/cassandra/cassandra.sh).
"""

import os
import ssl
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


TLS_DIR = os.environ.get("CASSANDRA_TLS_DIR" if TARGET == "cassandra" else "CQLD_TLS_DIR", "")


def tls_connection_options(style: str) -> dict:
    """A TLS run's connection options: the server verified against the test CA, presenting the
    test client certificate (which servers that do not ask for one ignore)."""
    if not TLS_DIR:
        return {}
    certs = Path(TLS_DIR)
    if style == "ssl_options":
        return {
            "ssl_options": {
                "ca_certs": str(certs / "ca.pem"),
                "certfile": str(certs / "client.pem"),
                "keyfile": str(certs / "client.key"),
                "cert_reqs": ssl.CERT_REQUIRED,
                "ssl_version": ssl.PROTOCOL_TLS_CLIENT,
            }
        }
    context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    context.load_cert_chain(str(certs / "client.pem"), str(certs / "client.key"))
    return {"ssl_context": context}


def child_tls_options() -> dict:
    """The TLS connection options of a Django project a test starts in a subprocess, in a form
    that survives repr and JSON (the server verified against the test CA by default). Only when
    the project reaches this run's TLS server: the node, or the in-memory test server (once
    started, projects inherit its address); otherwise it starts a plaintext cqld of its own."""
    from django_cassandra_engine import embedded

    if not TLS_DIR or (TARGET == "cqld" and embedded.TEST_SERVER_ENV not in os.environ):
        return {}
    certs = Path(TLS_DIR)
    return {
        "ssl_options": {
            "ca_certs": str(certs / "ca.pem"),
            "certfile": str(certs / "client.pem"),
            "keyfile": str(certs / "client.key"),
        }
    }


def child_credentials() -> dict:
    """USER and PASSWORD of a Django project a test starts in a subprocess: the node's
    (CASSANDRA_USER), or on cqld the test server's superuser when the project reaches this
    run's authenticating test server (once started, projects inherit its address); otherwise
    none (a project that starts a cqld of its own starts it without authentication)."""
    from django_cassandra_engine import embedded

    if TARGET == "cassandra":
        user = os.environ.get("CASSANDRA_USER", "")
        return {"USER": user, "PASSWORD": os.environ.get("CASSANDRA_PASSWORD", "")} if user else {}
    if AUTH and embedded.TEST_SERVER_ENV in os.environ:
        return {"USER": "cassandra", "PASSWORD": SUPERUSER_PASSWORD}
    return {}


def embedded_tls_options() -> dict:
    if not TLS_DIR or TARGET != "cqld":
        return {}
    certs = Path(TLS_DIR)
    return {
        "tls_cert": str(certs / "server.pem"),
        "tls_key": str(certs / "server.key"),
        "tls_mode": "required",
    }


def cassandra_database(name: str, tls_style: str = "ssl_context", **connection_options) -> dict:
    connection_consistency, session_consistency = consistency_options()
    database = {
        "ENGINE": "django_cassandra_engine",
        "NAME": name,
        "OPTIONS": {
            "replication": {
                "strategy_class": "SimpleStrategy",
                "replication_factor": REPLICATION_FACTOR,
            },
            "connection": {
                "connect_timeout": 30,
                **connection_consistency,
                **tls_connection_options(tls_style),
                **connection_options,
            },
            "session": {"default_timeout": 60, **session_consistency},
        },
    }
    embedded_options = dict(embedded_tls_options() or {})
    if TARGET == "cqld" and AUTH:
        # The embedded server with a production's authentication (make auth-test): the backend
        # logs in as the superuser that a fresh server creates with this password.
        embedded_options.update(
            authenticator="password", authorizer="cassandra", superuser_password=SUPERUSER_PASSWORD
        )
        database["USER"], database["PASSWORD"] = "cassandra", SUPERUSER_PASSWORD
    if embedded_options:
        database["OPTIONS"]["embedded"] = embedded_options
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
    "cassandra2": cassandra_database(
        "dce_second", tls_style="ssl_options", schema_metadata_enabled=False
    ),
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
