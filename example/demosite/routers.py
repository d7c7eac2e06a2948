from cassandra.cqlengine.models import BaseModel


class SqlModelsRouter:
    """Users, content types and the admin's log (Django ORM models) live in SQLite beside
    Cassandra; notes and sessions in Cassandra."""

    def db_for_read(self, model, **hints):
        return None if issubclass(model, BaseModel) else "sql"

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        model = hints.get("model")
        if model is not None and issubclass(model, BaseModel):
            return None
        return db == "sql"
