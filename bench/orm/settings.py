"""Settings of the ORM benchmark: the same models in SQLite and in Cassandra (the embedded
cqld by default; BENCH_CASSANDRA_HOST/PORT for a node), both with data in BENCH_DIR."""

import os
from pathlib import Path

DATA = Path(os.environ["BENCH_DIR"])
SECRET_KEY = "bench"
DEBUG = False
USE_TZ = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "ormbench",
]
cassandra = {
    "ENGINE": "django_cassandra_engine",
    "NAME": "ormbench",
    "OPTIONS": {
        "replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1},
        "embedded": {"data_dir": str(DATA / "cqld")},
    },
}
if os.environ.get("BENCH_CASSANDRA_HOST"):
    cassandra["HOST"] = os.environ["BENCH_CASSANDRA_HOST"]
    cassandra["PORT"] = int(os.environ.get("BENCH_CASSANDRA_PORT", "9042"))
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA / "bench.sqlite3"},
    "cassandra": cassandra,
}
DATABASE_ROUTERS = ["ormbench.routers.BenchRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "urls"
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
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
STATIC_URL = "static/"
