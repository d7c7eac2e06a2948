import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench"
USE_TZ = False
INSTALLED_APPS = ["django_cassandra_engine", "crud"]
DATABASES = {
    "default": {
        "ENGINE": "django_cassandra_engine",
        "NAME": "bench",
        "OPTIONS": {"replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1}},
    }
}
if os.environ.get("CQL_TARGET") == "cassandra":
    DATABASES["default"]["HOST"] = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
    DATABASES["default"]["PORT"] = int(os.environ.get("CASSANDRA_PORT", "19042"))
