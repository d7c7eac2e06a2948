from django.apps import AppConfig


class CassandraSessionsConfig(AppConfig):
    name = "django_cassandra_engine.sessions"
    # Not "sessions", so that django.contrib.sessions may stay installed beside it.
    label = "cassandra_sessions"
    verbose_name = "Sessions (Cassandra)"
