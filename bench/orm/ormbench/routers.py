"""Sends every query to the database being measured (``use()``), so the same code, Django's
admin included, runs against each database in turn."""

import threading

_current = threading.local()


def use(alias: str) -> None:
    _current.alias = alias


class BenchRouter:
    def db_for_read(self, model, **hints):
        return getattr(_current, "alias", None)

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return True
