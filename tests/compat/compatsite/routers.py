from django_cassandra_engine.utils import get_engine_from_db_alias


class Router:
    """Django's own apps in SQLite, Cassandra models where they say."""

    def db_for_read(self, model, **hints):
        return None if hasattr(model, "__keyspace__") else "sql"

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if get_engine_from_db_alias(db) == "django_cassandra_engine":
            # Django's own models stay out of Cassandra (1.x never migrated them there; a
            # router that answers None for them now lets migrate create their tables).
            model = hints.get("model")
            return None if model is not None and hasattr(model, "__keyspace__") else False
        return app_label != "shop" or model_name == "order"
