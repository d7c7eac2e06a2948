from cassandra.cqlengine.models import BaseModel


def _is_sql_model(model) -> bool:
    return not issubclass(model, BaseModel) and model._meta.app_label != "ormapp"


class SqlModelsRouter:
    """Django's own apps (auth, sessions, admin) and testapp.SqlNote live in SQLite; cqlengine
    models and the Django models of ormapp in Cassandra."""

    def db_for_read(self, model, **hints):
        return "sql" if _is_sql_model(model) else None

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        model = hints.get("model")
        if app_label == "ormapp":
            return db == "default"
        if model is None:
            return db == "sql" if app_label != "testapp" else None
        return (db == "sql") if _is_sql_model(model) else None
