"""Settings for Django's own test suite (tests/runtests.py of Django's source distribution)
on this backend. runtests.py sets the apps, URLs and templates; this gives the databases.

The target follows tests/conftest.py's conventions: CQL_TARGET=cqld (default: the embedded
server, an in-memory cqld for the run) or cassandra (CASSANDRA_HOST, default 127.0.0.1;
CASSANDRA_PORT, default 19042; CASSANDRA_USER/CASSANDRA_PASSWORD).
"""

import os

TARGET = os.environ.get("CQL_TARGET") or os.environ.get("CQL_TARGETS", "cqld").split(",")[0]


def database(name: str) -> dict:
    settings = {
        "ENGINE": "django_cassandra_engine",
        "NAME": name,
        "TEST": {"NAME": f"test_{name}"},
        "OPTIONS": {
            "replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1},
            "connection": {"connect_timeout": 30},
            "session": {"default_timeout": 60},
        },
    }
    if TARGET == "cassandra":
        settings["HOST"] = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
        settings["PORT"] = int(os.environ.get("CASSANDRA_PORT", "19042"))
        settings["USER"] = os.environ.get("CASSANDRA_USER", "")
        settings["PASSWORD"] = os.environ.get("CASSANDRA_PASSWORD", "")
    return settings


DATABASES = {"default": database("django_tests"), "other": database("django_tests_other")}
SECRET_KEY = "django_tests_secret_key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = False
# Django's tests build tables of a few thousand rows at most and filter them in Python.
CASSANDRA_MAX_SCANNED_ROWS = 200_000
TEST_RUNNER = "suite_runner.SuiteRunner"
