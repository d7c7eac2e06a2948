"""The example site, with Cassandra as its only database: notes in a DjangoCassandraModel,
sessions in the package's Cassandra session table, and Django's own apps (users, groups and
permissions, content types, the admin's log) as Django models stored in Cassandra too, through
``migrate``. The database is the embedded cqld by default.

Environment: DEMO_DATA_DIR (where .cqld/ is; default example/), DEMO_CASSANDRA_HOST and
DEMO_CASSANDRA_PORT (a Cassandra node, or a cluster's comma-separated nodes, instead of the
embedded cqld; with several nodes, reads are retried while a node that died is not yet known
to be down), DEMO_CASSANDRA_REPLICATION_FACTOR (default 1) and DEMO_CASSANDRA_CONSISTENCY (a
consistency level's name such as QUORUM; default the driver's LOCAL_ONE), DEMO_KEYSPACE
(default "demo"), DEMO_CASSANDRA_USER and DEMO_CASSANDRA_PASSWORD (a server with
authentication), DEMO_CASSANDRA_TLS_CA and DEMO_CASSANDRA_TLS_CLIENT (TLS).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DEMO_DATA_DIR", BASE_DIR))
SECRET_KEY = "demo-only-not-secret"
DEBUG = True  # also logs each request's CQL (connection.queries) for the /cql/ page
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

USE_TZ = True
TIME_ZONE = "UTC"  # the visitor's own zone is activated per request (notes.middleware)

INSTALLED_APPS = [
    "django_cassandra_engine",
    "django_cassandra_engine.sessions",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "notes",
]


def cassandra_database() -> dict:
    database = {
        "ENGINE": "django_cassandra_engine",
        "NAME": os.environ.get("DEMO_KEYSPACE", "demo"),
        "OPTIONS": {
            "replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1},
            "embedded": {"data_dir": DATA_DIR / ".cqld"},
        },
    }
    if os.environ.get("DEMO_CASSANDRA_HOST"):
        database["HOST"] = os.environ["DEMO_CASSANDRA_HOST"]
        database["PORT"] = int(os.environ.get("DEMO_CASSANDRA_PORT", "9042"))
        replication = database["OPTIONS"]["replication"]
        replication["replication_factor"] = int(
            os.environ.get("DEMO_CASSANDRA_REPLICATION_FACTOR", "1")
        )
        connection = database["OPTIONS"]["connection"] = {}
        if os.environ.get("DEMO_CASSANDRA_CONSISTENCY"):
            from cassandra import ConsistencyLevel

            level = ConsistencyLevel.name_to_value[os.environ["DEMO_CASSANDRA_CONSISTENCY"].upper()]
            connection["consistency"] = level
        if "," in database["HOST"]:
            # A cluster: a read that times out while a node that just died is not yet known to
            # be down is sent again (see django_cassandra_engine/policies.py).
            from django_cassandra_engine.policies import RetryReads

            connection["default_retry_policy"] = RetryReads()
    if os.environ.get("DEMO_CASSANDRA_USER"):
        database["USER"] = os.environ["DEMO_CASSANDRA_USER"]
        database["PASSWORD"] = os.environ.get("DEMO_CASSANDRA_PASSWORD", "")
    if os.environ.get("DEMO_CASSANDRA_TLS_CA"):
        # TLS (as the test suite's TLS run serves): the server is verified against this CA;
        # DEMO_CASSANDRA_TLS_CLIENT names a client certificate's .pem/.key pair.
        ssl_options = {"ca_certs": os.environ["DEMO_CASSANDRA_TLS_CA"]}
        if os.environ.get("DEMO_CASSANDRA_TLS_CLIENT"):
            client = os.environ["DEMO_CASSANDRA_TLS_CLIENT"]
            ssl_options.update(certfile=f"{client}.pem", keyfile=f"{client}.key")
        database["OPTIONS"].setdefault("connection", {})["ssl_options"] = ssl_options
    return database


DATABASES = {"default": cassandra_database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_ENGINE = "django_cassandra_engine.sessions.backends.db"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

MIDDLEWARE = [
    "notes.cqllog.RecordCQL",  # first, so it sees the sessions' CQL too
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "notes.middleware.VisitorTimeZone",
]
ROOT_URLCONF = "demosite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notes.cqllog.cql_of_this_request",
            ]
        },
    }
]
STATIC_URL = "static/"
