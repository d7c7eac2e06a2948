from django.apps import AppConfig, apps


class CassandraEngineConfig(AppConfig):
    name = "django_cassandra_engine"
    verbose_name = "Cassandra"
    default = True

    def ready(self) -> None:
        # Register every Cassandra database with cqlengine's connection registry now, without
        # connecting, so plain cqlengine models can be used as soon as Django is set up.
        from django_cassandra_engine import connection
        from django_cassandra_engine.models import routing

        connection.register_all()
        routing.guard_cqlengine_models()
        if apps.is_installed("django.contrib.admin"):
            from django_cassandra_engine.admin import registration

            registration.install()
