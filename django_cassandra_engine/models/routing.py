"""Which database, and so which keyspace and cqlengine connection, a model uses.

In order: ``__connection__`` (a database alias), a ``__keyspace__`` that is some database's
NAME, the database routers (``db_for_read``/``db_for_write``), else the default Cassandra
database. Outside tests an explicit ``__keyspace__`` wins for the keyspace.

While tests run, every model, DjangoCassandraModel or plain cqlengine model, uses the test
keyspace of its database, whatever keyspace it declares: live data is never read or written.
Only a keyspace named for one query (``objects.using(keyspace=...)``, ``ContextQuery``) that is
no database's live keyspace is used as given.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import router

from django_cassandra_engine import utils


def database_for_model(model: type, write: bool = False) -> str | None:
    if model.__connection__:
        return model.__connection__
    if model.__keyspace__:
        alias = utils.alias_for_keyspace(model.__keyspace__)
        if alias is not None:
            return alias
    default = utils.default_cassandra_alias()
    if not apps.ready or not hasattr(model, "_meta"):
        # Routers may import models; they are not consulted while models are being defined.
        return default
    alias = router.db_for_write(model) if write else router.db_for_read(model)
    return alias if utils.is_cassandra(alias) else default


def keyspace_for_model(model: type, alias: str | None = None) -> str | None:
    if utils.in_test_run():
        return _test_keyspace_for_model(model, alias)
    if model.__keyspace__:
        return model.__keyspace__
    alias = alias or database_for_model(model)
    if alias is None:
        from cassandra.cqlengine import models as cqlengine_models

        return cqlengine_models.DEFAULT_KEYSPACE
    return utils.keyspace_for(alias)


def _test_keyspace_for_model(model: type, alias: str | None) -> str:
    explicit = model.__keyspace__
    if explicit:
        owner = utils.alias_for_keyspace(explicit)
        if owner is not None:
            return _test_keyspace(owner)
        if _keyspace_named_per_query(model):
            return explicit
    return _test_keyspace(alias or database_for_model(model))


def _test_keyspace(alias: str | None) -> str:
    if alias is None or not utils.has_test_keyspace(alias):
        raise ImproperlyConfigured(
            f"Database {alias!r} has no test keyspace in this test run, so its models would "
            "read and write live data: add it to the test's databases (TestCase.databases, or "
            "pytest.mark.django_db(databases=[...]))."
        )
    return utils.keyspace_for(alias)


def _keyspace_named_per_query(model: type) -> bool:
    """Whether the model's keyspace was set for one query rather than declared: cqlengine's
    ``using(keyspace=...)``, ``ContextQuery`` and ``sync_table(keyspaces=...)`` set it on a
    class made by ``_clone_model_class``, whose module is therefore cqlengine's."""
    from cassandra.cqlengine import models as cqlengine_models

    for klass in model.__mro__:
        if "__keyspace__" in vars(klass):
            return vars(klass).get("__module__") == cqlengine_models.__name__
    return False


# Plain cqlengine models ask cqlengine's own ``Model._get_keyspace``. It is wrapped once, when
# the app is ready, so that the rule above reaches them too; outside tests it answers as before.
def guard_cqlengine_models() -> None:
    from cassandra.cqlengine.models import BaseModel

    original = vars(BaseModel)["_get_keyspace"]
    if getattr(original.__func__, "test_keyspace_guard", False):
        return

    def _get_keyspace(cls: type) -> str | None:
        if utils.in_test_run():
            return _test_keyspace_for_model(cls, None)
        return original.__func__(cls)

    _get_keyspace.test_keyspace_guard = True
    BaseModel._get_keyspace = classmethod(_get_keyspace)
