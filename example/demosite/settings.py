"""The example site: notes in Cassandra, on the embedded cqld (data in example/.cqld), and the
admin at /admin/ (its users in SQLite, example/auth.sqlite3)."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "demo-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True

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

# No HOST: the backend starts (or reuses) cqld serving example/.cqld.
DATABASES = {
    "default": {
        "ENGINE": "django_cassandra_engine",
        "NAME": "demo",
        "TEST_NAME": "test_demo",
        "OPTIONS": {"replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1}},
    },
    "sql": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "auth.sqlite3"},
}
DATABASE_ROUTERS = ["demosite.routers.SqlModelsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_ENGINE = "django_cassandra_engine.sessions.backends.db"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
            ]
        },
    }
]
STATIC_URL = "static/"
